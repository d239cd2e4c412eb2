"""The command line: ``python -P -m mission_early_warning.core.mission_package check|to-gpkg ...``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import MewError
from .conversion import package_to_geopackage
from .package import open_package
from .problems import has_errors
from .report import report_html, report_text
from .validation import validate


def main(argv: Optional[list[str]] = None) -> int:
    """``check PACKAGE [--report FILE]`` prints the validation report (exit 1 on errors);
    ``to-gpkg FOLDER OUTPUT.gpkg`` converts a folder package into a GeoPackage package."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="mission_package", description="Check or convert mission packages.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a package and print the report")
    check.add_argument("package", type=Path)
    check.add_argument("--report", type=Path, help="also write the report (.html or .txt)")
    convert = commands.add_parser("to-gpkg", help="convert a folder package into a GeoPackage package")
    convert.add_argument("folder", type=Path)
    convert.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "to-gpkg":
            print(package_to_geopackage(args.folder, args.output))
            return 0
        package = open_package(args.package)
        problems = validate(package)
        text = report_text(package, problems)
        print(text, end="")
        if args.report is not None:
            from ..io import atomic_write_text, refuse_output_over_inputs

            refuse_output_over_inputs([args.report], package.files())
            html = args.report.suffix.lower() != ".txt"
            atomic_write_text(args.report, report_html(package, problems) if html else text)
        return 1 if has_errors(problems) else 0
    except MewError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
