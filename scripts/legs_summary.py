"""One table of the suite and the demo on every QGIS leg, from the logs the legs left.

Usage: ``python3 scripts/legs_summary.py LOG_FOLDER LEG [LEG ...]``. For each leg it reads
``LEG-test.log`` (pytest's closing line), ``LEG-demo.log`` and ``LEG-demo.pdfs`` (the briefing
PDFs the demo wrote) and ``LEG-versions.json``. Exit status 1 when a leg that ran failed: its tests
did not all pass, or its demo wrote fewer briefing PDFs than the most any leg wrote.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PYTEST_CLOSING = re.compile(r"^=+ (?P<body>.*\b(passed|failed|error|errors)\b.*) in [\d.]+s.*=+$")
COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)")


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def test_counts(log: str) -> dict[str, int] | None:
    """pytest's closing counts, or None when the log has no closing line (setup or ruff failed)."""
    for line in reversed(log.splitlines()):
        match = PYTEST_CLOSING.match(line.strip())
        if match:
            counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
            for number, word in COUNT.findall(match.group("body")):
                key = "errors" if word.startswith("error") else word
                counts[key] = counts.get(key, 0) + int(number)
            return counts
    return None


def main(argv: list[str]) -> int:
    folder, legs = Path(argv[0]), argv[1:]
    rows, pdf_counts = [], {}
    for leg in legs:
        test_log = read(folder / f"{leg}-test.log")
        if not test_log:
            continue
        pdfs = [name for name in read(folder / f"{leg}-demo.pdfs").split() if name.endswith(".pdf")]
        pdf_counts[leg] = len(pdfs)
        try:
            versions = json.loads(read(folder / f"{leg}-versions.json") or "{}")
        except json.JSONDecodeError:
            versions = {}
        rows.append((leg, test_counts(test_log), versions, len(pdfs), "Traceback" in read(folder / f"{leg}-demo.log")))
    if not rows:
        print("legs: no results yet")
        return 1
    most_pdfs = max(pdf_counts.values())
    header = (
        "leg",
        "QGIS",
        "Python",
        "numpy",
        "shapely",
        "GDAL",
        "rasterio",
        "passed",
        "failed",
        "skipped",
        "demo PDFs",
        "result",
    )
    lines, failed_legs, totals = [], [], {"passed": 0, "failed": 0, "skipped": 0}
    for leg, counts, versions, pdfs, demo_traceback in rows:
        ok = bool(counts) and counts["failed"] == 0 and counts["errors"] == 0 and counts["passed"] > 0
        ok = ok and pdfs == most_pdfs and pdfs > 0 and not demo_traceback
        if not ok:
            failed_legs.append(leg)
        if counts:
            totals["passed"] += counts["passed"]
            totals["failed"] += counts["failed"] + counts["errors"]
        lines.append(
            (
                leg,
                *(versions.get(k, "?") for k in ("QGIS", "Python", "numpy", "shapely", "GDAL", "rasterio")),
                *(
                    str(counts[k] + (counts["errors"] if k == "failed" else 0)) if counts else "-"
                    for k in ("passed", "failed", "skipped")
                ),
                f"{pdfs}",
                "ok" if ok else "FAILED",
            )
        )
    widths = [max(len(str(row[i])) for row in (header, *lines)) for i in range(len(header))]
    print()
    for row in (header, tuple("-" * w for w in widths), *lines):
        print("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |")
    print()
    if failed_legs:
        print(f"legs that failed (tests, or a demo that wrote fewer briefing PDFs): {', '.join(failed_legs)}")
    print(f"legs: {totals['passed']} passed, {totals['failed']} failed")
    return 1 if failed_legs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
