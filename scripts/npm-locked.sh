#!/usr/bin/env bash
# The npm that `pip install .` runs (pyproject.toml: hatch-jupyter-builder's `npm`).
# hatch-jupyter-builder always runs `npm install`, which rewrites package-lock.json
# (npm adds the optional platform packages it resolves on this machine) and so dirties
# a clean clone. A build must install exactly what the lockfile says: `install` with
# no arguments becomes `npm ci`, and when node_modules already matches the lockfile
# (npm's own .package-lock.json is newer than package-lock.json) nothing is reinstalled.
set -euo pipefail
if [ "$#" = 1 ] && [ "$1" = install ]; then
  if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "node_modules is up to date with package-lock.json"
    exit 0
  fi
  exec npm ci
fi
exec npm "$@"
