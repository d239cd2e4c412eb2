#!/usr/bin/env bash
# Idempotent environment setup: Debian packages, then .venv with pinned dev tools.
# A second run checks and returns in about a second. The same on Debian 12 (QGIS 3.22)
# and Debian 13 (QGIS 3.40, or 3.44 where apt prefers trixie-backports for QGIS).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  python3-qgis qgis-providers qgis            # QGIS, its Python bindings, qgis_process
  python3-numpy python3-scipy python3-shapely python3-pyproj python3-rasterio python3-gdal
  python3-yaml                                # the algorithm case table (tests/algorithm_cases.yaml)
  proj-bin                                    # pyproj >= 3.7 in a venv finds PROJ's data through `proj`
  python3-venv python3-pip
  poppler-utils                               # pdfinfo/pdftotext/pdftoppm: briefing-map tests
  xvfb xauth                                  # screenshots of the dock and the dialogs (make screenshots)
  qttranslations5-l10n                        # Qt's own buttons (Close, OK) in French on the French screenshots
  gdal-bin                                    # gdal_calc.py etc. for the benchmarks
  time                                        # /usr/bin/time -v for peak memory
  strace                                      # package-reading tests: no connect() leaves the machine
  zip unzip
  qttools5-dev-tools                          # lrelease: the .qm translations (make translations / package)
)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv (system site packages from /usr/bin/python3)"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi

# The distribution's runtime packages, pinned at the versions installed: pip may add dev tools
# around them but never replace them (a wheel of rasterio brings a second GDAL into QGIS).
constraints=.venv/constraints-system.txt
.venv/bin/python scripts/system_constraints.py > "$constraints.new"
mv "$constraints.new" "$constraints"

stamp=.venv/.dev-requirements.sha256
wanted=$(cat requirements-dev.txt "$constraints" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing pinned dev tools into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    -r requirements-dev.txt -c "$constraints"
  echo "$wanted" > "$stamp"
fi

# Make the plugin importable as `mission_early_warning` inside .venv without
# putting the plugin folder itself on sys.path (our processing/ would shadow QGIS's).
site=$(.venv/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
if [ "$(readlink "$site/mission_early_warning" 2>/dev/null)" != "$PWD" ]; then
  ln -sfn "$PWD" "$site/mission_early_warning"
fi
