"""Build the plugin zip for the QGIS Plugin Manager ("Install from ZIP") or the plugin repository.

The zip has exactly one top folder, ``mission_early_warning/``, holding what git
tracks minus development files: no tests, demo, benchmarks, CI or tooling, no
``__pycache__``/``.pyc``.
"""

from __future__ import annotations

import argparse
import configparser
import subprocess
import sys
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


def build(output_dir: Path, root: Path = ROOT) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"{PACKAGE}-{version(root)}.zip"
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in plugin_files(root):
            archive.write(root / path, f"{PACKAGE}/{path.as_posix()}")
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
