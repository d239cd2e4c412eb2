"""Build the plugin zip for the QGIS Plugin Manager ("Install from ZIP") or the plugin repository.

The zip has exactly one top folder, ``mission_early_warning/``, holding what git
tracks minus development files: no tests, demo, benchmarks, CI or tooling, no
``__pycache__``/``.pyc``. The translations are compiled (``.qm``, from
``i18n/*.ts``) into the zip: they are built, never committed.
"""

from __future__ import annotations

import argparse
import configparser
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "mission_early_warning"
#: Top-level entries that are for developers, not for QGIS.
EXCLUDED_TOP = {
    ".ci",
    ".github",
    ".gitignore",
    "benchmarks",
    "demo",
    "docs",
    "scripts",
    "tests",
    "conftest.py",
    "pytest.ini",
    "pyproject.toml",
    "requirements-dev.txt",
    "Makefile",
    "CONTRIBUTING.md",
}


def plugin_files(root: Path = ROOT) -> list[Path]:
    """Tracked (and new, not ignored) files that belong in the plugin, relative to ``root``."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=root,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    files = []
    for name in filter(None, listed):
        path = Path(name)
        if path.parts[0] in EXCLUDED_TOP or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        if (root / path).is_file():
            files.append(path)
    return sorted(files)


def version(root: Path = ROOT) -> str:
    parser = configparser.ConfigParser()
    parser.read(root / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def build_translations(output_dir: Path, root: Path = ROOT) -> list[Path]:
    """The ``.qm`` files compiled from ``i18n/*.ts`` into ``output_dir`` (by scripts/translations.py)."""
    subprocess.run(
        [sys.executable, str(root / "scripts" / "translations.py"), "build", "--output", str(output_dir)],
        check=True,
        capture_output=True,
    )
    return sorted(output_dir.glob("*.qm"))


def build(output_dir: Path, root: Path = ROOT) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"{PACKAGE}-{version(root)}.zip"
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive, tempfile.TemporaryDirectory() as built:
        for path in plugin_files(root):
            if path.suffix != ".qm":  # a stale local build: the fresh one is added below
                archive.write(root / path, f"{PACKAGE}/{path.as_posix()}")
        for compiled in build_translations(Path(built), root):
            archive.write(compiled, f"{PACKAGE}/i18n/{compiled.name}")
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    target = build(args.output)
    print(f"Plugin package: {target} ({target.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
