#!/usr/bin/env bash
# Builds the simulator benchmark in Release and runs it on one core.
#   scripts/bench-sim.sh [SIMULATED_SECONDS] [CHECK_EVERY_MS] [RUNS]
#   BENCH_CPU=1 scripts/bench-sim.sh   pins to another core (default 0)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-sim}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFAULTLINE_TESTS=ON >/dev/null
cmake --build "$build" --target sim_bench -j"${JOBS:-1}"
# Wall-clock figures depend on what else runs: report the load with them.
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c "${BENCH_CPU:-0}" "$build/tests/bench/sim_bench" "$@"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
