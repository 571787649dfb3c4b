#!/usr/bin/env bash
# jlab-alt vs JupyterLab benchmarks: one command.
#
#   bash benchmarks/run.sh            full run: installs/updates the newest JupyterLab 4.x
#                                     into benchmarks/.venv-jupyterlab, then benchmarks both
#                                     apps (1 warm-up + 5 counted runs each, alternating)
#   bash benchmarks/run.sh --smoke    one small run of jlab-alt only (no JupyterLab), for CI,
#                                     plus the load smoke (benchmarks/load.mjs --smoke: many
#                                     clients get every message in order; fails if not)
#   bash benchmarks/run.sh --gateway  the `1+1` round trip through jupyter-kernel-gateway next
#                                     to a local kernel (benchmarks/gateway.mjs; its options:
#                                     --runs N, --repeats N, --warmup N). Not in --smoke.
#
# Other options are passed to benchmarks/bench.mjs: --runs N, --warmup N,
# --apps jlab-alt,jupyterlab, --only cold_load,open_code,..., --exec-repeats N.
# Environment: BENCH_PYTHON (the Python whose `jlab-alt` and ipykernel are used;
# default: python3), BENCH_CHROMIUM (default /usr/bin/chromium),
# BENCH_SKIP_JUPYTERLAB_UPGRADE=1 (use the installed JupyterLab as it is).
#
# Results: benchmarks/results/bench-<stamp>.{json,md} and latest.{json,md}. The exit
# status is non-zero only when the suite itself broke (a scenario threw), never
# because of a speed number. Servers and kernels are killed at the end, even on failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
cd "$ROOT"

SMOKE=0
GATEWAY=0
APPS=""
prev=""
for arg in "$@"; do
  [ "$arg" = "--smoke" ] && SMOKE=1
  [ "$arg" = "--gateway" ] && GATEWAY=1
  [ "$prev" = "--apps" ] && APPS="$arg"
  prev="$arg"
done
if [ -z "$APPS" ]; then
  if [ "$SMOKE" = 1 ] || [ "$GATEWAY" = 1 ]; then APPS="jlab-alt"; else APPS="jlab-alt,jupyterlab"; fi
fi

PY="${BENCH_PYTHON:-python3}"
if ! "$PY" -c 'import jlab_alt, ipykernel' 2>/dev/null; then
  echo "benchmarks: $PY cannot import jlab_alt and ipykernel; install jlab-alt (pip install -e .) or set BENCH_PYTHON" >&2
  exit 2
fi
export BENCH_PYTHON="$("$PY" -c 'import sys; print(sys.executable)')"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/ws ]; then
  echo "benchmarks: node_modules is missing playwright-core or ws; run npm ci" >&2
  exit 2
fi
if [ ! -f py_src/jlab_alt/static/manifest.json ]; then
  echo "benchmarks: building the jlab-alt frontend (npm run build)"
  npm run build >/dev/null
fi

if [[ ",$APPS," == *",jupyterlab,"* ]]; then
  VENV="$HERE/.venv-jupyterlab"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "benchmarks: creating $VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  fi
  if [ "${BENCH_SKIP_JUPYTERLAB_UPGRADE:-0}" != 1 ] || [ ! -x "$VENV/bin/jupyter-lab" ]; then
    echo "benchmarks: installing the newest JupyterLab 4.x into $VENV"
    "$VENV/bin/pip" install --quiet --upgrade 'jupyterlab>=4,<5' 2>&1 | grep -v '^WARNING: Location' || true
  fi
  "$VENV/bin/python" -c 'import jupyterlab; print("benchmarks: JupyterLab", jupyterlab.__version__)'
fi

BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/jlab-alt-bench.XXXXXX")"
export BENCH_TMP
cleanup() {
  # Whatever happened: kill every process started under our temporary folder
  # (servers and their kernels), then remove it.
  local pid
  for pid in $(grep -lsF "$BENCH_TMP" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [ "$pid" != "$$" ] && kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$GATEWAY" = 1 ]; then
  node "$HERE/gateway.mjs" "$@"
  exit
fi
node "$HERE/bench.mjs" "$@"
# Load (issue 10.5): its smoke checks ordering and completeness, never a time. The full
# load run is separate: node benchmarks/load.mjs (see benchmarks/RESULTS.md).
if [ "$SMOKE" = 1 ]; then node "$HERE/load.mjs" --smoke; fi
