#!/usr/bin/env bash
# Run every test suite of jlab-alt, from a fresh Debian machine or a developer's tree.
#
#   bash scripts/test.sh
#
# 1. Installs Debian's chromium (and fonts-dejavu-core) with apt when missing.
# 2. Creates the virtualenv .venv when missing and puts it first on PATH.
# 3. pip install -e ".[test]": hatch-jupyter-builder runs `npm install` and
#    `npm run build` when py_src/jlab_alt/static is missing or older than ts_src/;
#    then, whatever it did, `npm ci` if node_modules is missing and `npm run build`
#    if the build is still missing or older than its sources. Also installs (editable)
#    the extensions in extensions/ and the test fixture packages in tests/fixtures/,
#    and hatchling + editables, which --no-build-isolation editable installs need.
# 4. Runs the suites in order, each even if an earlier one failed:
#    pytest (tests/), typecheck (tsc: ts_src/ and ui-tests/), unit (vitest),
#    ui (playwright, ui-tests/), bench (benchmarks/run.sh --smoke: the benchmark suite
#    runs, its numbers are not judged).
# JLAB_ALT_SETUP_ONLY=1 stops after step 3 (a developer's worktree: install and build only).
# A suite fails when its command fails or when it ran zero tests. The last line
# printed is "N passed, M failed" (suites); the exit status is 0 only when all passed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SUITES=(pytest typecheck unit ui bench)
SUMMARY_PRINTED=0

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

on_exit() {
  local rc=$?
  if [ "$SUMMARY_PRINTED" = 0 ]; then
    echo
    echo "scripts/test.sh stopped during setup (exit status $rc): no suite ran."
    echo "0 passed, ${#SUITES[@]} failed"
    [ "$rc" = 0 ] && rc=1
  fi
  exit "$rc"
}
trap on_exit EXIT

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# --- 1. system packages -----------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q 'install ok installed' || missing+=(fonts-dejavu-core)
if [ "${#missing[@]}" -gt 0 ]; then
  say "Installing ${missing[*]} with apt"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
/usr/bin/chromium --version 2>/dev/null || { echo "chromium does not run: /usr/bin/chromium --version failed" >&2; exit 1; }

command -v node >/dev/null || { echo "node is not installed (Node 20 or newer is needed)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is not installed" >&2; exit 1; }
echo "node $(node --version), npm $(npm --version 2>/dev/null)"

# --- 2. the virtualenv ------------------------------------------------------------
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys' 2>/dev/null; then
  say "Creating the virtualenv .venv"
  rm -rf .venv
  if ! python3 -m venv .venv; then
    # Debian's own python3 needs python3-venv for `-m venv` (ensurepip).
    say "python3 -m venv failed; installing python3-venv with apt"
    rm -rf .venv
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv
    python3 -m venv .venv
  fi
fi
export VIRTUAL_ENV="$ROOT/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# Browsers are never downloaded: the UI tests use Debian's chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
echo "python: $(command -v python) ($(python --version))"

# --- 3. install and build ---------------------------------------------------------
# The build backends too: tests pip-install projects with --no-build-isolation.
say "pip install hatchling editables hatch-jupyter-builder (build backends, for --no-build-isolation installs)"
python -m pip install "hatchling>=1.21" editables "hatch-jupyter-builder>=0.9"
say 'pip install -e ".[test,testing]" (builds the frontend through hatch-jupyter-builder)'
python -m pip install -e ".[test,testing]"
# The extensions shipped in extensions/ and the test fixture packages (tests/fixtures/*)
# are tested as users install them: pip, entry points.
local_packages=()
for pyproject in extensions/*/pyproject.toml tests/fixtures/*/pyproject.toml; do
  if [ -f "$pyproject" ]; then local_packages+=(-e "$(dirname "$pyproject")"); fi
done
if [ "${#local_packages[@]}" -gt 0 ]; then
  say "pip install ${local_packages[*]}"
  python -m pip install --no-build-isolation "${local_packages[@]}"
fi

# bash_kernel ships no kernelspec in its wheel: install it into the virtualenv, where
# every test server finds it (ui-tests/kernels.spec.ts runs a cell on it).
say "python -m bash_kernel.install --sys-prefix"
python -m bash_kernel.install --sys-prefix

if [ ! -d node_modules ]; then
  say "node_modules is missing after pip install: npm ci"
  npm ci
elif [ ! node_modules/.package-lock.json -nt package-lock.json ]; then
  say "node_modules is older than package-lock.json: npm ci"
  npm ci
fi
MANIFEST=py_src/jlab_alt/static/manifest.json
stale=""
if [ ! -f "$MANIFEST" ]; then
  stale="$MANIFEST is missing"
else
  newer=$(find ts_src package.json package-lock.json webpack.config.js -newer "$MANIFEST" -type f -print -quit)
  [ -z "$newer" ] || stale="$newer is newer than the build"
fi
if [ -n "$stale" ]; then
  say "Building the frontend: $stale"
  npm run build
else
  echo "The frontend build is up to date ($MANIFEST)."
fi
[ -f "$MANIFEST" ] || { echo "The frontend build did not produce $MANIFEST" >&2; exit 1; }
command -v jlab-alt | grep -q "^$VIRTUAL_ENV/" || { echo "jlab-alt does not resolve to .venv: $(command -v jlab-alt)" >&2; exit 1; }

if [ "${JLAB_ALT_SETUP_ONLY:-}" = 1 ]; then
  echo "JLAB_ALT_SETUP_ONLY=1: installed and built; no suite run."
  SUMMARY_PRINTED=1
  exit 0
fi

# --- 4. the suites ----------------------------------------------------------------
LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/jlab-alt-test-logs.XXXXXX")
declare -A RESULT DETAIL DURATION

strip_ansi() { sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$1"; }

# How many tests a suite ran, read from its own summary (empty when none is found).
count_tests() {
  local name=$1 log=$2
  case $name in
    pytest)
      # "===== 3 failed, 120 passed, 2 warnings in 9.87s ====="
      strip_ansi "$log" | grep -E '^=+ .* in [0-9.]+s' | tail -n 1 |
        grep -oE '[0-9]+ (passed|failed|errors?|xfailed|xpassed)' | awk '{n += $1} END {if (NR) print n}'
      ;;
    unit)
      # "      Tests  2 failed | 98 passed (100)"
      strip_ansi "$log" | grep -E '^ *Tests +' | tail -n 1 | grep -oE '\(([0-9]+)\)' | tr -d '()'
      ;;
    bench)
      # "benchmarks smoke: 9 scenarios ran"
      strip_ansi "$log" | grep -oE '^benchmarks smoke: [0-9]+ scenarios ran' | tail -n 1 | grep -oE '[0-9]+'
      ;;
    ui)
      # "  21 passed (1.3m)" / "  2 failed" / "  1 flaky" lines of the list reporter
      strip_ansi "$log" | grep -E '^ +[0-9]+ (passed|failed|flaky|interrupted|did not run)' |
        grep -oE '^ +[0-9]+' | awk '{n += $1} END {if (NR) print n}'
      ;;
  esac
}

run_suite() {
  local name=$1
  shift
  local log="$LOG_DIR/$name.log" start=$SECONDS rc
  say "[$name] $*"
  set +e
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  DURATION[$name]=$((SECONDS - start))
  local count=""
  [ "$name" = typecheck ] || count=$(count_tests "$name" "$log")
  if [ "$rc" -ne 0 ]; then
    RESULT[$name]=failed
    DETAIL[$name]="exit status $rc${count:+, $count tests}"
  elif [ "$name" != typecheck ] && [ "${count:-0}" -eq 0 ]; then
    RESULT[$name]=failed
    DETAIL[$name]="ran zero tests"
  else
    RESULT[$name]=passed
    DETAIL[$name]=${count:+$count tests}
  fi
}

typecheck() {
  npm run typecheck && echo "ts_src: no type errors" &&
    npx tsc -p ui-tests/tsconfig.json && echo "ui-tests: no type errors"
}

run_suite pytest python -m pytest
run_suite typecheck typecheck
run_suite unit npm run test:unit
run_suite ui npm run test:ui
# The benchmark suite, small and jlab-alt only, so it cannot rot; speed is never judged here.
run_suite bench bash benchmarks/run.sh --smoke

passed=0
failed=0
echo
echo "================ jlab-alt test summary ================"
for name in "${SUITES[@]}"; do
  printf '  %-10s %-7s %5ss  %s\n' "$name" "${RESULT[$name]}" "${DURATION[$name]}" "${DETAIL[$name]}"
  if [ "${RESULT[$name]}" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "  logs: $LOG_DIR"
[ "$failed" -eq 0 ] || echo "  UI test failures keep traces and screenshots in ui-tests/test-results/"
echo "$passed passed, $failed failed"
SUMMARY_PRINTED=1
[ "$failed" -eq 0 ]
