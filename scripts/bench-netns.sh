#!/usr/bin/env bash
# Builds the network-namespace benchmark in Release and runs it (needs root):
# fabric creation, policy application and reachability-matrix times.
#   scripts/bench-netns.sh [MEMBERS] [RUNS]      (defaults 5 and 20)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-netns}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFAULTLINE_TESTS=ON >/dev/null
cmake --build "$build" --target netns_bench -j"${JOBS:-2}"
# Wall-clock figures depend on what else runs: report the load with them.
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/tests/bench/netns_bench" "$@"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
