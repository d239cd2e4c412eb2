"""The plugin zip follows the QGIS plugin repository's structural rules, and installs for qgis_process."""

from __future__ import annotations

import configparser
import zipfile

from mission_early_warning.scripts.package import build

REQUIRED_METADATA = [
    "name",
    "qgisMinimumVersion",
    "description",
    "about",
    "version",
    "author",
    "email",
    "repository",
    "tracker",
]


def test_zip_structure_and_metadata(tmp_path):
    target = build(tmp_path)
    assert target.name == "mission_early_warning-0.1.0.zip"
    assert target.stat().st_size < 20 * 1024 * 1024
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        metadata_text = archive.read("mission_early_warning/metadata.txt").decode("utf-8")
    assert {n.split("/")[0] for n in names} == {"mission_early_warning"}
    for required in (
        "__init__.py",
        "metadata.txt",
        "LICENSE",
        "plugin.py",
        "processing/provider.py",
        "layout/briefing_map.py",
        "i18n/mission_early_warning_fr.qm",  # compiled into the zip, never committed
    ):
        assert f"mission_early_warning/{required}" in names
    for name in names:
        parts = name.split("/")
        assert "__pycache__" not in parts and not name.endswith((".pyc", ".pyo", ".so", ".dll", ".exe"))
        assert parts[1] not in ("tests", "demo", "benchmarks", ".ci", "scripts", ".git", ".venv")
        assert parts[1] not in ("conftest.py", "pytest.ini", "Makefile", "requirements-dev.txt")
    metadata = configparser.ConfigParser()
    metadata.read_string(metadata_text)
    general = metadata["general"]
    for key in REQUIRED_METADATA:
        assert general.get(key, "").strip(), key
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["hasProcessingProvider"] == "yes"
    assert general["category"] == "Analysis"
    assert f"mission_early_warning/{general['icon']}" in names
    for package in ("numpy", "shapely", "pyproj", "rasterio"):
        assert package in general["about"]
    assert "GNU GENERAL PUBLIC LICENSE" in (build.__globals__["ROOT"] / "LICENSE").read_text()


def test_installed_plugin_loads_in_qgis_process(run_qgis_process):
    """After the install step the plugin loads headless and qgis_process lists every mew algorithm."""
    from mission_early_warning.processing.provider import ALGORITHMS

    result = run_qgis_process("plugins")
    assert result.returncode == 0, result.stderr
    assert "* mission_early_warning" in result.stdout.splitlines()
    listed = run_qgis_process("list")
    assert listed.returncode == 0, listed.stderr
    assert "Mission Early Warning" in listed.stdout
    for module_name, _class_name in ALGORITHMS:
        assert f"mew:{module_name}\t" in listed.stdout, module_name
