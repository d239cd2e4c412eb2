# Quick start: `make demo` and `make test`. Both set up everything they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export QT_QPA_PLATFORM := offscreen
# Bounded GDAL block cache (MB): with GDAL's default, raster work here spends its time in the kernel.
export GDAL_CACHEMAX ?= 64
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
DEMO_DIR ?= demo-output

.PHONY: setup demo test legs lint package install bench clean translations translations-update screenshots

setup:
	@bash scripts/setup.sh

demo: setup
	@$(PY) -P -m mission_early_warning.demo.run --output $(DEMO_DIR)

test: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

# make test and make demo in the QGIS 3.40 and 3.44 legs (Debian 13 root filesystems, built once), then the table.
legs:
	@bash scripts/legs.sh

lint: setup
	$(PY) -m ruff check .

# The .qm files QGIS loads, compiled from i18n/*.ts (the .qm are not committed).
translations: setup
	@$(PY) scripts/translations.py build --output i18n

# Bring i18n/*.ts up to date with the strings marked in the code and the .ui forms.
translations-update: setup
	@$(PY) scripts/translations.py update

package: setup
	@$(PY) scripts/package.py --output dist

install: setup translations
	@$(PY) scripts/install_plugin.py

# Full-size benchmarks, for a quiet machine: each script times ours and the peer through qgis_process.bin and
# in one warm QGIS process, and writes both into benchmarks/results/ (a script's --quick checks it on small data).
bench: setup
	@for script in benchmarks/bench_*.py; do $(PY) -P $$script || exit 1; done

# The documentation's screenshots, docs/screenshots/<language>/: each analysis's dialog and the dock, in English and
# French (a QGIS in a throw-away profile per language). Under Xvfb when installed (QGIS's widgets as on a desktop).
screenshots: setup
	@if command -v xvfb-run >/dev/null; then \
		QT_QPA_PLATFORM=xcb xvfb-run -a $(PY) -P scripts/screenshot_dialogs.py; \
	else \
		$(PY) -P scripts/screenshot_dialogs.py; \
	fi

clean:
	rm -rf dist build $(DEMO_DIR) .pytest_cache .ruff_cache
