"""Drought input the analyses cannot answer correctly is refused with a message that says what to do.

Each case ran before and gave a wrong or baffling answer: a class table that was
not one, "BASELINE_START is after BASELINE_END" for a one-band stack, "all
nodata" for SCALE=0, outputs without a CRS from a raster without one, and
GeoTIFF bytes in a file named .png. Every refusal leaves nothing behind.
"""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mission_early_warning.core import drought
from mission_early_warning.core.density import KernelSettings, write_density
from mission_early_warning.core.drought import ClassTable
from mission_early_warning.core.errors import MewError

DATES = ["2010-09-01", "2011-09-01", "2012-09-01", "2013-09-01"]


def write(path, bands, descriptions=None, crs="EPSG:32630"):
    bands = np.asarray(bands, dtype=np.float32)
    bands = bands[None] if bands.ndim == 2 else bands
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=bands.shape[2],
        height=bands.shape[1],
        count=bands.shape[0],
        dtype="float32",
        crs=crs,
        transform=from_origin(300000, 1700000, 250, 250),
        nodata=-1,
    ) as dataset:
        dataset.write(bands)
        for number, text in enumerate(descriptions or [], 1):
            dataset.set_band_description(number, text)
    return str(path)


@pytest.fixture()
def stack(tmp_path):
    return write(tmp_path / "ndvi.tif", np.random.default_rng(0).uniform(0.1, 0.8, (4, 30, 40)), DATES)


def nothing_written(folder, *keep):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep) == []


# --- CLASSES ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0:10:1;abc", r"'0:10:1' has more than one ':'"),
        ("10:extreme; 20", r"'20' in '20' is a number where a class name belongs"),
        ("10:20; none", r"'20' in '10:20' is a number where a class name belongs"),
        ("nan:extreme; none", r"the bound 'nan' in 'nan:extreme' is not a finite number"),
        ("inf:extreme; none", r"not a finite number"),
        ("abc", r"needs at least two classes"),
        ("x:extreme; none", r"'x' in 'x:extreme' is not a number"),
        ("20:a; 10:b; c", r"the bounds must increase and '10:b' does not"),
        ("a; 10:b; c", r"only the last class may have no upper bound, and 'a' has none"),
        (";".join(f"{n}:c{n}" for n in range(300)), r"at most 255 fit"),
    ],
)
def test_a_class_table_that_is_not_one_is_refused_with_the_expected_form(text, problem):
    with pytest.raises(MewError, match=problem) as refused:
        ClassTable.parse(text)
    assert "Write 'upper bound:name' pairs, worst first" in str(refused.value)
    assert "e.g. '10:extreme; 20:severe; 30:moderate; 40:mild; none'" in str(refused.value)


def test_good_class_tables_still_parse():
    assert ClassTable.parse("-2:extreme; -1.5:severe; -1:moderate; -0.5:mild; none").drought_below == -0.5
    assert ClassTable.parse("35:drought").text == "35:drought; none"
    assert ClassTable.parse("10:very dry; 40:dry (watch); normal").text == "10:very dry; 40:dry (watch); normal"


def test_the_algorithm_refuses_nonsense_classes_and_writes_nothing(tmp_path, stack, mew):
    from qgis.core import QgsProcessingException

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(QgsProcessingException, match=r"CLASSES '0:10:1;abc' is not a class table.*upper bound:name"):
        mew.run(
            "mew:droughtindex",
            {
                "STACK": [stack],
                "CLASSES": "0:10:1;abc",
                "OUTPUT": str(out / "vci.tif"),
                "OUTPUT_CLASSES": str(out / "classes.tif"),
            },
        )
    assert nothing_written(out)


# --- the baseline ----------------------------------------------------------------------------------


def test_a_one_band_stack_says_so_not_that_the_baseline_years_are_reversed(tmp_path, mew):
    from qgis.core import QgsProcessingException

    single = write(tmp_path / "ndvi_2024-09-14.tif", np.full((10, 10), 0.5))
    with pytest.raises(
        MewError,
        match=r"stack has one band \(2024-09-14 .*ndvi_2024-09-14\.tif.*at least 3 other "
        r"years",
    ) as refused:
        drought.drought_index([single], str(tmp_path / "vci.tif"))
    assert "BASELINE_START" not in str(refused.value)
    with pytest.raises(QgsProcessingException, match=r"stack has one band"):
        mew.run("mew:droughtindex", {"STACK": [single], "OUTPUT": str(tmp_path / "vci.tif")})
    with pytest.raises(QgsProcessingException, match=r"stack has one band"):
        mew.run(
            "mew:droughtchange", {"STACK": [single], "BEFORE_DATE": "2024", "OUTPUT_DELTA": str(tmp_path / "d.tif")}
        )
    assert not list(tmp_path.glob("vci*")) and not list(tmp_path.glob("d.*"))


def test_a_target_in_the_stacks_first_year_is_told_there_is_no_earlier_year(tmp_path, stack):
    with pytest.raises(MewError, match=r"The stack starts in 2010, the target's year: there is no earlier year"):
        drought.drought_index([stack], str(tmp_path / "vci.tif"), target="2010")
    with pytest.raises(
        MewError,
        match=r"baseline is empty: BASELINE_START \(2013\) is after the year before the "
        r"target \(2012, the default BASELINE_END\)",
    ):
        drought.drought_index([stack], str(tmp_path / "vci.tif"), baseline_start=2013)
    with pytest.raises(MewError, match=r"BASELINE_START \(2012\) is after BASELINE_END \(2011\)"):
        drought.drought_index([stack], str(tmp_path / "vci.tif"), baseline_start=2012, baseline_end=2011)


# --- SCALE -----------------------------------------------------------------------------------------


def test_scale_zero_is_refused_naming_the_parameter(tmp_path, stack, mew):
    from qgis.core import QgsProcessingException

    with pytest.raises(MewError, match=r"SCALE is 0: every NDVI value would become the OFFSET.*0\.0001 for MODIS"):
        drought.drought_index([stack], str(tmp_path / "vci.tif"), scale=0.0)
    with pytest.raises(QgsProcessingException, match=r"SCALE is 0"):
        mew.run("mew:droughtindex", {"STACK": [stack], "SCALE": 0, "OUTPUT": str(tmp_path / "vci.tif")})
    with pytest.raises(QgsProcessingException, match=r"SCALE is 0"):
        mew.run(
            "mew:droughtchange",
            {"STACK": [stack], "SCALE": 0, "BEFORE_DATE": "2012-09-01", "OUTPUT_DELTA": str(tmp_path / "delta.tif")},
        )
    assert not list(tmp_path.glob("vci*")) and not list(tmp_path.glob("delta*"))


# --- CRS -------------------------------------------------------------------------------------------


def test_a_raster_without_crs_is_refused_naming_the_file(tmp_path, stack, mew):
    from qgis.core import QgsProcessingException

    bare = write(tmp_path / "no_crs.tif", np.random.default_rng(1).uniform(0.1, 0.8, (4, 30, 40)), DATES, crs=None)
    with rasterio.open(bare) as dataset:
        assert not dataset.crs
    with pytest.raises(MewError, match=r"stack raster '.*no_crs\.tif' has no CRS.*Assign its CRS"):
        drought.drought_index([bare], str(tmp_path / "vci.tif"))
    with pytest.raises(QgsProcessingException, match=r"no_crs\.tif' has no CRS"):
        mew.run("mew:droughtindex", {"STACK": [bare], "OUTPUT": str(tmp_path / "vci.tif")})
    mask = write(tmp_path / "mask_no_crs.tif", np.zeros((30, 40)), crs=None)
    with pytest.raises(MewError, match=r"mask '.*mask_no_crs\.tif' has no CRS"):
        drought.drought_index([stack], str(tmp_path / "vci.tif"), mask=drought.MaskSpec(mask))
    index = tmp_path / "vci_2013.tif"
    drought.drought_index([stack], str(index))
    with pytest.raises(MewError, match=r"BEFORE raster '.*no_crs\.tif' has no CRS"):
        drought.drought_change(bare, str(index), output_delta=str(tmp_path / "delta.tif"))
    with pytest.raises(MewError, match=r"AFTER raster '.*no_crs\.tif' has no CRS"):
        drought.drought_change(str(index), bare, output_delta=str(tmp_path / "delta.tif"))
    with pytest.raises(QgsProcessingException, match=r"no_crs\.tif' has no CRS"):
        mew.run("mew:droughtchange", {"BEFORE": bare, "AFTER": str(index), "OUTPUT_DELTA": str(tmp_path / "d.tif")})
    assert not list(tmp_path.glob("vci.*")) and not list(tmp_path.glob("delta*")) and not list(tmp_path.glob("d.*"))


# --- output format ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["vci.png", "vci.img", "vci"])
def test_a_raster_output_not_named_tif_is_refused(tmp_path, stack, mew, name):
    from qgis.core import QgsProcessingException

    with pytest.raises(MewError, match=r"raster outputs are written as GeoTIFF\. Name it with \.tif"):
        drought.drought_index([stack], str(tmp_path / name))
    with pytest.raises(MewError, match=r"GeoTIFF"):
        drought.drought_index([stack], str(tmp_path / "vci.tif"), output_classes=str(tmp_path / name))
    with pytest.raises(QgsProcessingException, match=r"GeoTIFF"):
        mew.run("mew:droughtindex", {"STACK": [stack], "OUTPUT": str(tmp_path / name)})
    with pytest.raises(QgsProcessingException, match=r"GeoTIFF"):
        mew.run(
            "mew:droughtchange",
            {
                "STACK": [stack],
                "BEFORE_DATE": "2012-09-01",
                "OUTPUT_DELTA": str(tmp_path / "delta.tif"),
                "OUTPUT_TRANSITIONS": str(tmp_path / name),
            },
        )
    with pytest.raises(MewError, match=r"GeoTIFF"):
        write_density(
            str(tmp_path / name),
            np.array([300500.0]),
            np.array([1699500.0]),
            rasterio.crs.CRS.from_epsg(32630).to_wkt(),
            KernelSettings(1000.0),
            100.0,
        )
    # no output of any name; QGIS opening the stack as a layer may leave GDAL's statistics of the input
    # beside it (ndvi.tif.aux.xml), as it does for any raster it opens
    assert sorted(p.name for p in tmp_path.iterdir()) in (["ndvi.tif"], ["ndvi.tif", "ndvi.tif.aux.xml"])
    drought.drought_index([stack], str(tmp_path / "vci.TIFF"))  # either spelling, any case
    assert (tmp_path / "vci.TIFF").exists()


@pytest.mark.parametrize(
    ("algorithm", "names"),
    [
        ("droughtindex", ("OUTPUT", "OUTPUT_CLASSES")),
        ("droughtchange", ("OUTPUT_DELTA", "OUTPUT_TRANSITIONS")),
        ("incidentdensity", ("OUTPUT",)),
    ],
)
def test_raster_destinations_offer_and_accept_geotiff_only(mew_provider, algorithm, names):
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingOutputLayerDefinition

    found = QgsApplication.processingRegistry().algorithmById(f"mew:{algorithm}")
    context = QgsProcessingContext()
    for name in names:
        for parameter in (found.parameterDefinition(name), found.parameterDefinition(name).clone()):
            assert parameter.defaultFileExtension() == "tif"
            assert parameter.supportedOutputRasterLayerExtensions() == ["tif", "tiff"]
            assert parameter.createFileFilter() == "GeoTIFF files (*.tif *.TIF *.tiff *.TIFF)"
            assert parameter.isSupportedOutputValue("/data/out.tif", context) == (True, "")
            assert parameter.isSupportedOutputValue("TEMPORARY_OUTPUT", context) == (True, "")
            ok, message = parameter.isSupportedOutputValue(QgsProcessingOutputLayerDefinition("/data/out.png"), context)
            assert not ok and "ends in '.png'" in message and "'/data/out.tif'" in message
        original, copy = found.parameterDefinition(name), found.parameterDefinition(name).clone()
        assert (copy.name(), copy.description(), int(copy.flags()), copy.createByDefault()) == (
            original.name(),
            original.description(),
            int(original.flags()),
            original.createByDefault(),
        )
