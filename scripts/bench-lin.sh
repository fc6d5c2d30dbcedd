#!/usr/bin/env bash
# Builds the linearizability checker benchmark in Release and runs it.
#   scripts/bench-lin.sh [PEER_DATA_DIR]
# PEER_DATA_DIR defaults to ../shared/peer-data/porcupine beside the clone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-lin}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFAULTLINE_TESTS=ON >/dev/null
cmake --build "$build" --target lin_bench -j"${JOBS:-1}"
exec "$build/tests/bench/lin_bench" "$@"
