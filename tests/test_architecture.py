"""House rules that can be checked mechanically: a QGIS-free core, Qt only via qgis.PyQt, no network."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_CODE = [p for p in ROOT.rglob("*.py") if not ({".venv", "tests", "demo", "benchmarks", "scripts"}
                                                       & set(p.relative_to(ROOT).parts))]
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
        for p in (ROOT / "core").rglob("*.py") if p.stem not in ("__init__", "__main__")
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


def _algorithm_modules() -> dict[str, ast.Module]:
    """processing/ modules that define an algorithm (a class deriving, at any depth, from MewAlgorithm)."""
    trees = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in (ROOT / "processing").glob("*.py")}
    bases = {
        node.name: {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
        for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
    }
    algorithms = {"MewAlgorithm"}
    while True:
        more = {name for name, parents in bases.items() if parents & algorithms} - algorithms
        if not more:
            break
        algorithms |= more
    algorithms.discard("MewAlgorithm")
    return {
        stem: tree for stem, tree in trees.items()
        if any(isinstance(n, ast.ClassDef) and n.name in algorithms for n in ast.walk(tree))
    }


def test_no_algorithm_module_imports_another():
    """What two algorithms share lives in a shared module of processing/, not in one of them."""
    modules = _algorithm_modules()
    assert {"hotspots", "emerginghotspots", "droughtindex", "droughtchange", "patrolcoverage", "coveragegaps"} <= set(
        modules), sorted(modules)
    for stem, tree in modules.items():
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imported |= {node.module} if node.module else {alias.name for alias in node.names}
        others = sorted((imported & set(modules)) - {stem})
        assert not others, f"processing/{stem}.py imports the algorithm module(s) {others}"
