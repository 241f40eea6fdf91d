#!/bin/sh
# Run bench/run.py from an exported snapshot of a commit (default HEAD), so that uncommitted work
# of others in a shared checkout cannot break or colour the run. Results land in this checkout's
# docs/benchmarks/ (BENCH_OUT), with the snapshot's commit recorded.
#   bench/snapshot_run.sh [commit]      (BENCH_* settings as for bench/run.py)
set -eu
cd "$(dirname "$0")/.."
COMMIT="$(git rev-parse --short "${1:-HEAD}")"
SRC="$(mktemp -d /tmp/bench-src-XXXXXX)"
git archive "$COMMIT" | tar -x -C "$SRC"
ln -s "$PWD/node_modules" "$SRC/node_modules"
export EMBEDDED_DATA_DIR="${EMBEDDED_DATA_DIR:-$PWD/.local}"
export BENCH_OUT="${BENCH_OUT:-$PWD/docs/benchmarks}"
export BENCH_GIT_COMMIT="$COMMIT"
cd "$SRC"
"${OLDPWD}/.venv/bin/python" bench/run.py
rm -rf "$SRC"
