"""House rules that can be checked mechanically: a QGIS-free core, Qt only via qgis.PyQt, no network."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_CODE = [
    p
    for p in ROOT.rglob("*.py")
    if not ({".venv", "tests", "demo", "benchmarks", "scripts"} & set(p.relative_to(ROOT).parts))
]
FORBIDDEN_NETWORK = {"urllib.request", "http.client", "requests", "socket", "ftplib", "smtplib"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_without_qgis_or_qt():
    """Every core module imports in a Python where qgis and Qt cannot be imported at all."""
    modules = sorted(
        ".".join(("mission_early_warning", *p.relative_to(ROOT).with_suffix("").parts))
        for p in (ROOT / "core").rglob("*.py")
        if p.stem not in ("__init__", "__main__")
    )
    script = (
        "import sys\n"
        "for blocked in ('qgis', 'PyQt5', 'PyQt6', 'sip'):\n"
        "    sys.modules[blocked] = None\n"
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('mission_early_warning', {str(ROOT / '__init__.py')!r},"
        f" submodule_search_locations=[{str(ROOT)!r}])\n"
        "module = importlib.util.module_from_spec(spec); sys.modules['mission_early_warning'] = module\n"
        "spec.loader.exec_module(module)\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr
    for path in (ROOT / "core").rglob("*.py"):
        assert not any(n.split(".")[0] in ("qgis", "PyQt5", "PyQt6") for n in _imports(path)), path


def test_qt_only_through_qgis_pyqt_and_no_network_or_eval():
    for path in PLUGIN_CODE:
        names = _imports(path)
        assert not any(n.split(".")[0] in ("PyQt5", "PyQt6") for n in names), path
        assert not (names & FORBIDDEN_NETWORK), path
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not (calls & {"eval", "exec"}), path
        assert "QgsNetworkAccessManager" not in path.read_text(encoding="utf-8"), path


def test_init_only_defines_a_lazy_class_factory():
    tree = ast.parse((ROOT / "__init__.py").read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if not isinstance(n, ast.Expr)]
    assert [type(n).__name__ for n in top_level] == ["FunctionDef"]
    assert top_level[0].name == "classFactory"


#: Longest an algorithm file may be: parameters, a call into core/ and outputs, nothing more.
MAX_ALGORITHM_LINES = 250
#: Longest a core/ module may be before it is split by concept.
MAX_CORE_MODULE_LINES = 600


def _registered_algorithm_modules() -> dict[str, str]:
    """``provider.ALGORITHMS`` read from the source: module in processing/ -> the algorithm class it registers."""
    tree = ast.parse((ROOT / "processing" / "provider.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == "ALGORITHMS" for target in targets):
                return dict(ast.literal_eval(node.value))
    raise AssertionError("processing/provider.py has no ALGORITHMS table")


def _algorithm_modules() -> dict[str, ast.Module]:
    """processing/ modules that define an algorithm: a class deriving, at any depth, from MewAlgorithm (itself a
    QgsProcessingAlgorithm), and every module the provider registers an algorithm from."""
    trees = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in (ROOT / "processing").glob("*.py")}
    bases = {
        node.name: {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    algorithms = {"MewAlgorithm"}
    while True:
        more = {name for name, parents in bases.items() if parents & algorithms} - algorithms
        if not more:
            break
        algorithms |= more
    algorithms.discard("MewAlgorithm")
    defining = {
        stem
        for stem, tree in trees.items()
        if any(isinstance(n, ast.ClassDef) and n.name in algorithms for n in ast.walk(tree))
    }
    return {stem: trees[stem] for stem in sorted(defining | set(_registered_algorithm_modules()))}


def _processing_modules_imported(tree: ast.Module) -> set[str]:
    """Names of processing/ modules a processing/ module imports, whatever the spelling: ``from .x import``,
    ``from . import x``, ``from ..processing.x import``, ``import mission_early_warning.processing.x``."""
    absolute_prefix = "mission_early_warning.processing"
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                module = node.module
            elif node.level == 2 and node.module and node.module.split(".")[0] == "processing":
                module = node.module.partition(".")[2]
            elif node.level == 0 and node.module and node.module.startswith(absolute_prefix):
                module = node.module[len(absolute_prefix) :].lstrip(".")
            else:
                continue
            imported |= {module.split(".")[0]} if module else {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {
                alias.name[len(absolute_prefix) :].lstrip(".").split(".")[0]
                for alias in node.names
                if alias.name.startswith(absolute_prefix + ".")
            }
    return imported


@pytest.mark.parametrize(
    "source",
    [
        "from .hotspots import HotSpotsAlgorithm",
        "from . import hotspots",
        "from ..processing.hotspots import HotSpotsAlgorithm",
        "from ..processing import hotspots",
        "from mission_early_warning.processing.hotspots import HotSpotsAlgorithm",
        "import mission_early_warning.processing.hotspots",
    ],
)
def test_every_spelling_of_an_import_between_processing_modules_is_seen(source):
    assert _processing_modules_imported(ast.parse(source)) == {"hotspots"}


def test_imports_from_outside_processing_are_not_taken_for_algorithm_modules():
    source = "from ..core.hotspots import x\nfrom ..core import hotspots\nfrom qgis import processing\nimport hotspots"
    assert _processing_modules_imported(ast.parse(source)) == set()


def test_every_registered_algorithm_is_defined_in_its_module():
    """The provider's table and the algorithm classes agree, so the checks below see every algorithm module."""
    modules = _algorithm_modules()
    for stem, class_name in _registered_algorithm_modules().items():
        classes = {n.name for n in ast.walk(modules[stem]) if isinstance(n, ast.ClassDef)}
        assert class_name in classes, f"processing/{stem}.py does not define {class_name}"


def test_no_algorithm_module_imports_another():
    """What two algorithms share lives in a shared module of processing/, not in one of them."""
    modules = _algorithm_modules()
    assert {"hotspots", "emerginghotspots", "droughtindex", "droughtchange", "patrolcoverage", "coveragegaps"} <= set(
        modules
    ), sorted(modules)
    for stem, tree in modules.items():
        others = sorted((_processing_modules_imported(tree) & set(modules)) - {stem})
        assert not others, f"processing/{stem}.py imports the algorithm module(s) {others}"


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_algorithm_files_stay_thin():
    """An algorithm file converts parameters, calls core/ and returns outputs; more than that belongs elsewhere."""
    too_long = {
        f"processing/{stem}.py": lines
        for stem in _algorithm_modules()
        if (lines := _line_count(ROOT / "processing" / f"{stem}.py")) > MAX_ALGORITHM_LINES
    }
    assert not too_long, f"algorithm files over {MAX_ALGORITHM_LINES} lines: {too_long}"


def test_core_modules_stay_readable():
    """Every module of core/, at any depth, is at most MAX_CORE_MODULE_LINES long: one concept per module."""
    too_long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in sorted((ROOT / "core").rglob("*.py"))
        if (lines := _line_count(path)) > MAX_CORE_MODULE_LINES
    }
    assert not too_long, f"core modules over {MAX_CORE_MODULE_LINES} lines: {too_long}"
