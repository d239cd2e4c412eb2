"""Every analysis's dialog is pictured in the documentation, in English and in French.

``make screenshots`` (``scripts/screenshot_dialogs.py``) takes the pictures; these checks read the files
and the pages only, nothing is rendered: an algorithm added without its screenshots, or a page that lost
them, fails here.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SHOTS = DOCS / "screenshots"
LANGUAGES = ("en", "fr")
#: The dock's own screenshots, taken with the dialogs.
DOCK_SHOTS = ("dock", "dock_analyses")
#: What a screenshot may weigh: a 256-colour PNG of a dialog is some 30 kB; a map in one, more.
MAX_BYTES = 200_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, read from its header; (0, 0) when the file is not a PNG."""
    head = path.read_bytes()[:24]
    if len(head) < 24 or head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        return (0, 0)
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.fixture(scope="module")
def algorithm_names(mew_provider) -> list[str]:
    names = sorted(algorithm.name() for algorithm in mew_provider.algorithms())
    assert names, "the provider registers algorithms"
    return names


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))}


def test_png_size_reads_the_header(tmp_path):
    path = tmp_path / "shot.png"
    path.write_bytes(PNG_SIGNATURE + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 640, 480) + b"\x08\x03")
    assert png_size(path) == (640, 480)
    path.write_bytes(b"GIF89a" + bytes(30))
    assert png_size(path) == (0, 0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_algorithm_and_the_dock_have_a_screenshot(algorithm_names, language):
    for name in [*algorithm_names, *DOCK_SHOTS]:
        path = SHOTS / language / f"{name}.png"
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run `make screenshots`"
        width, height = png_size(path)
        assert 400 <= width <= 1600 and 300 <= height <= 1200, f"{path.name} ({language}) is {width}×{height}"
        assert path.stat().st_size <= MAX_BYTES, f"{path.name} ({language}) weighs {path.stat().st_size} bytes"


def test_both_languages_picture_the_same_things():
    assert {p.name for p in (SHOTS / "en").glob("*.png")} == {p.name for p in (SHOTS / "fr").glob("*.png")}


def test_the_page_describing_an_algorithm_shows_its_dialog_and_links_the_french_one(algorithm_names, pages):
    for name in algorithm_names:
        showing = [page for page, text in pages.items() if f"](screenshots/en/{name}.png)" in text]
        assert showing, f"no docs page shows screenshots/en/{name}.png"
        for page in showing:
            text = pages[page]
            assert re.search(rf"!\[[^\]]+\]\(screenshots/en/{name}\.png\)", text), f"{page}: an image with words"
            assert f"](screenshots/fr/{name}.png)" in text, f"{page} shows {name} without the French link"
            assert f"mew:{name}" in text, f"{page} shows the {name} dialog but does not describe mew:{name}"


def test_every_screenshot_the_pages_name_exists(pages):
    named = {
        (page, target) for page, text in pages.items() for target in re.findall(r"\]\((screenshots/[^)]+)\)", text)
    }
    assert named
    for page, target in named:
        assert (DOCS / target).is_file(), f"{page} names {target}, which does not exist"
