#!/usr/bin/env bash
# Builds the HTTP latency benchmark in Release and runs it on loopback.
#   scripts/bench-http.sh [REQUESTS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-http}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFAULTLINE_TESTS=ON >/dev/null
cmake --build "$build" --target http_bench -j"${JOBS:-2}"
# Wall-clock figures depend on what else runs: report the load with them.
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/tests/bench/http_bench" "$@"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
