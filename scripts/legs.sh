#!/usr/bin/env bash
# The QGIS release legs: the suite and the demo on the QGIS releases officers run, beside this machine's.
#
#   scripts/legs.sh [LEG ...]        build each leg's root filesystem if needed, then run
#                                   `make test` and `make demo` in it on a clean copy of this checkout
#   scripts/legs.sh build [LEG ...]  only build (or check) the root filesystems
#   scripts/legs.sh shell LEG        a shell inside a leg's root filesystem, for debugging
#   scripts/legs.sh exec LEG CMD...  copy this checkout into the leg and run CMD there (e.g. make test,
#                                   or .venv/bin/python -m pytest tests/test_x.py after a first make test)
#   scripts/legs.sh record-host      record this machine's versions and demo PDFs beside the logs of its
#                                   own `make test` and `make demo` (build/legs/host-{test,demo}.log)
#   scripts/legs.sh summary          the table of every leg's last results (host included)
#
# Legs: qgis-3.40 (Debian 13 trixie) and qgis-3.44 (trixie with QGIS from trixie-backports).
# Each root filesystem is made once with debootstrap from the Debian mirror this machine's apt uses,
# then reused (it lives outside the checkout, under MEW_LEGS_ROOT). Inside, everything else is
# installed by the project's own scripts/setup.sh, exactly as on a new machine.
# Logs go to build/legs/<leg>-{test,demo}.log; the host's are written there by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
# Inside a root the copy is named after this checkout, so checkouts of different names can share a root.
WORK=/work/$(basename "$REPO")
LEGS_ROOT=${MEW_LEGS_ROOT:-/var/cache/mission-early-warning/legs}
LOGS=$REPO/build/legs
ALL_LEGS=(qgis-3.40 qgis-3.44)
# Bump when the recipe below changes: roots built by an older recipe are rebuilt.
RECIPE=3
# What a developer's machine has before the project's own setup runs: checked on every run.
LEG_TOOLS=(make git ca-certificates)

die() { echo "legs: $*" >&2; exit 2; }

suite_of() {
  case "$1" in
    qgis-3.40|qgis-3.44) echo trixie ;;
    *) die "unknown leg '$1' (known: ${ALL_LEGS[*]})" ;;
  esac
}

# The Debian archive this machine's apt uses (the deb822 sources or the classic list), and its security archive.
mirror_of() {
  local kind=$1 uri
  uri=$(python3 - "$kind" <<'EOF'
import glob, re, sys
security = sys.argv[1] == "security"
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")) + ["/etc/apt/sources.list"]:
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        continue
    stanzas = [s for s in re.split(r"\n\s*\n", text) if s.strip()] if path.endswith(".sources") else []
    for stanza in stanzas:
        fields = dict(re.findall(r"^([A-Za-z-]+):\s*(.*)$", stanza, re.M))
        suites = fields.get("Suites", "").split()
        if fields.get("Enabled", "yes") == "no" or not suites or "deb" not in fields.get("Types", ""):
            continue
        if any(s.endswith("-security") for s in suites) == security and "debian" in fields.get("URIs", ""):
            print(fields["URIs"].split()[0]); sys.exit(0)
    if path.endswith(".list"):
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "deb" and not parts[1].startswith("["):
                if parts[2].endswith("-security") == security and "debian" in parts[1]:
                    print(parts[1]); sys.exit(0)
sys.exit(1)
EOF
) || die "cannot find the Debian ${kind} archive in this machine's apt sources"
  echo "$uri"
}

# Run a command inside a root filesystem with proc, sys and dev mounted in a private mount namespace
# (the mounts vanish with the command, whatever ends it) and none of this machine's environment.
in_root() {
  local root=$1; shift
  local pass=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
              DEBIAN_FRONTEND=noninteractive CI="${CI:-}")
  local name
  for name in PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST PIP_DEFAULT_TIMEOUT; do
    [ -n "${!name:-}" ] && pass+=("$name=${!name}")
  done
  unshare --mount --propagation private -- bash -c '
    root=$1; shift
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    exec chroot "$root" "$@"' bash "$root" env -i "${pass[@]}" "$@"
}

provide_tools() {
  local root=$1 missing=() tool
  for tool in "${LEG_TOOLS[@]}"; do
    in_root "$root" dpkg-query -W -f='${Status}' "$tool" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    in_root "$root" bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"' \
      bash "${missing[@]}" >/dev/null
  fi
}

build_leg() {
  local leg=$1 suite root tmp mirror security
  suite=$(suite_of "$leg")
  root=$LEGS_ROOT/$leg
  if [ "$(cat "$root/.mew-recipe" 2>/dev/null)" = "$RECIPE" ]; then
    provide_tools "$root"
    return 0
  fi
  command -v debootstrap >/dev/null || {
    echo "legs: installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  }
  mirror=$(mirror_of main)
  security=$(mirror_of security)
  echo "legs: building the $leg root filesystem (Debian $suite, once; it is reused afterwards)"
  local started=$SECONDS
  mkdir -p "$LEGS_ROOT"
  tmp=$root.building
  rm -rf "$tmp" "$root"
  debootstrap --variant=minbase --include=ca-certificates,make "$suite" "$tmp" "$mirror" \
    > "$LEGS_ROOT/$leg-debootstrap.log" 2>&1 ||
    { tail -n 20 "$LEGS_ROOT/$leg-debootstrap.log" >&2; die "debootstrap of $suite failed"; }
  local suites="$suite $suite-updates"
  [ "$leg" = qgis-3.44 ] && suites="$suites $suite-backports"
  rm -f "$tmp/etc/apt/sources.list"
  cat > "$tmp/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suites
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  if [ "$leg" = qgis-3.44 ]; then
    # QGIS and the libraries it is built against from backports; everything else from trixie.
    cat > "$tmp/etc/apt/preferences.d/qgis-backports" <<EOF
Package: qgis qgis-* python3-qgis python3-qgis-* libqgis* qgis-providers qgis-providers-common
Pin: release n=$suite-backports
Pin-Priority: 990
EOF
  fi
  # pip inside reaches PyPI the way this machine does: the same certificate authorities.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$tmp/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$tmp/usr/local/share/ca-certificates/"
  fi
  printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' > "$tmp/etc/pip.conf"
  in_root "$tmp" update-ca-certificates >/dev/null 2>&1
  in_root "$tmp" apt-get update -qq >/dev/null
  mkdir -p "$tmp/work"
  provide_tools "$tmp"
  echo "$RECIPE" > "$tmp/.mew-recipe"
  mv "$tmp" "$root"
  echo "legs: $leg root filesystem ready in $((SECONDS - started)) s"
}

# A clean copy of this checkout: the files git tracks (as they are in the working tree), in a git
# repository of its own that tracks exactly them (the plugin zip lists files through git), and nothing
# else but the copy's .venv, which scripts/setup.sh checks against the pins and rebuilds when they change.
copy_checkout() {
  local target=$1
  mkdir -p "$target"
  find "$target" -mindepth 1 -maxdepth 1 ! -name .venv -exec rm -rf {} +
  git -C "$REPO" ls-files -z --cached --others --exclude-standard |
    (cd "$REPO" && tar --null --no-recursion -T - -cf - 2>/dev/null) | tar -xf - -C "$target"
  in_root "${target%"$WORK"}" bash -c 'cd "$0" && git init -q && git add -A' "$WORK"
}

run_leg() {
  local leg=$1 root status=0
  root=$LEGS_ROOT/$leg
  build_leg "$leg"
  mkdir -p "$LOGS"
  copy_checkout "$root$WORK"
  echo "legs: $leg: make test"
  local started=$SECONDS
  in_root "$root" bash -c "cd $WORK && make test" > "$LOGS/$leg-test.log" 2>&1 || status=1
  echo "$((SECONDS - started))" > "$LOGS/$leg-test.seconds"
  tail -n 3 "$LOGS/$leg-test.log"
  echo "legs: $leg: make demo"
  started=$SECONDS
  in_root "$root" bash -c "cd $WORK && make demo" > "$LOGS/$leg-demo.log" 2>&1 || status=1
  echo "$((SECONDS - started))" > "$LOGS/$leg-demo.seconds"
  in_root "$root" bash -c "cd $WORK && .venv/bin/python scripts/platform_versions.py" \
    > "$LOGS/$leg-versions.json" 2>/dev/null || true
  ls "$root$WORK/demo-output/briefings/"*.pdf 2>/dev/null | xargs -rn1 basename \
    > "$LOGS/$leg-demo.pdfs" || true
  return $status
}

main() {
  local command=run
  case "${1:-}" in build|shell|exec|summary|record-host) command=$1; shift ;; esac
  if [ "$command" = record-host ]; then
    mkdir -p "$LOGS"
    .venv/bin/python scripts/platform_versions.py > "$LOGS/host-versions.json"
    ls "${DEMO_DIR:-demo-output}/briefings/"*.pdf 2>/dev/null | xargs -rn1 basename > "$LOGS/host-demo.pdfs" || true
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "building and entering root filesystems needs root (sudo $0 $*)"
  local legs=("$@")
  [ ${#legs[@]} -gt 0 ] || legs=("${ALL_LEGS[@]}")
  case "$command" in
    build) for leg in "${legs[@]}"; do build_leg "$leg"; done ;;
    shell) build_leg "${legs[0]}"; in_root "$LEGS_ROOT/${legs[0]}" bash -l ;;
    exec)
      build_leg "${legs[0]}"
      copy_checkout "$LEGS_ROOT/${legs[0]}$WORK"
      in_root "$LEGS_ROOT/${legs[0]}" bash -c 'cd "$0" && "$@"' "$WORK" "${legs[@]:1}" ;;
    summary) python3 scripts/legs_summary.py "$LOGS" host "${ALL_LEGS[@]}" ;;
    run)
      local failed=0
      for leg in "${legs[@]}"; do run_leg "$leg" || failed=1; done
      python3 scripts/legs_summary.py "$LOGS" host "${ALL_LEGS[@]}" || failed=1
      return $failed ;;
  esac
}

main "$@"
