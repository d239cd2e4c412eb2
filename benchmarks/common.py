"""What the benchmark scripts share: the algorithm steps they time, and the QGIS profiles they run in.

A :class:`Step` is one Processing algorithm with its parameters. The same step
runs through ``qgis_process.bin`` (:meth:`Step.command`) and inside one warm
QGIS process (``in_process.py``), so both measurements time the same work.

Our algorithms run in a profile with this plugin installed and enabled (as the
tests' fixture does); the peer tools run in one without it, so they do not pay
for loading our plugin at start-up.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "mission_early_warning"
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


@dataclass(frozen=True)
class Step:
    """One Processing algorithm run: its id and its parameters (paths, numbers, booleans, lists of layers)."""

    algorithm: str
    parameters: dict[str, object] = field(default_factory=dict)

    def cli_arguments(self) -> list[str]:
        """``KEY=value`` arguments for ``qgis_process``: a list repeats its key, booleans are spelled true/false."""
        arguments = []
        for key, value in self.parameters.items():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                text = str(item).lower() if isinstance(item, bool) else str(item)
                arguments.append(f"{key}={text}")
        return arguments

    def command(self) -> list[str]:
        """The ``qgis_process.bin run`` command line of this step."""
        return [QGIS_PROCESS, "run", self.algorithm, "--", *self.cli_arguments()]

    def as_json(self) -> dict[str, object]:
        """The step with every path as text, for a child process."""

        def plain(value: object) -> object:
            if isinstance(value, (list, tuple)):
                return [plain(item) for item in value]
            return str(value) if isinstance(value, Path) else value

        return {"algorithm": self.algorithm, "parameters": {k: plain(v) for k, v in self.parameters.items()}}


def qgis_home(folder: Path, with_plugin: bool = True) -> Path:
    """A private HOME under ``folder`` whose default QGIS profile has (or lacks) this plugin."""
    home = Path(folder) / ("qgis-home" if with_plugin else "qgis-home-peer")
    profile = home / ".local/share/QGIS/QGIS3/profiles/default"
    plugins = profile / "python/plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / "mission_early_warning"
    if with_plugin and link.is_symlink() and link.resolve() != ROOT.resolve():
        link.unlink()  # made by a run from another checkout: this run measures the code beside it
    if with_plugin and not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    (profile / "QGIS").mkdir(exist_ok=True)
    enabled = "mission_early_warning=true\n" if with_plugin else ""
    (profile / "QGIS/QGIS3.ini").write_text(f"[PythonPlugins]\n{enabled}processing=true\n")
    return home


def import_this_checkout() -> None:
    """Make ``mission_early_warning`` this checkout, as the root ``conftest.py`` does for the tests.

    The virtualenv may link the package to another checkout; a benchmark measures
    the code beside it. The root itself never goes on ``sys.path`` (our
    ``processing`` package would shadow QGIS's).
    """
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(PACKAGE, ROOT / "__init__.py", submodule_search_locations=[str(ROOT)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)
