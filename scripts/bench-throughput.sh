#!/usr/bin/env bash
# Throughput with nothing injected, in one run (tests/bench/throughput_bench.cpp,
# docs/reference-cluster.md#throughput):
#  - committed key-value writes per second with 3 coordinators in `sync`
#    mode, side by side with etcd 3.4 (Debian's etcd-server), both driven by
#    the drill workload's own client at each concurrency of CONNECTIONS,
#    every client on the leader, one fresh key per write, both fsyncing
#    every commit (the reference cluster's store and etcd's WAL);
#  - MCP tool calls per second through a coordinator (3 coordinators, 2
#    nodes hosting the built-in counter server), with p50 and p99.
# The series take turns, ROUNDS times, so that both see the same machine.
#   scripts/bench-throughput.sh [SECONDS] [CONNECTIONS] [ROUNDS]
# Defaults: 8 s measured after 1 s of warm-up, at 20 and 64 connections, 2 rounds.
# Builds Release in build-bench-throughput; BENCH_REUSE_BUILD=1 with
# FAULTLINE_BENCH_BUILD=DIR uses the binaries already built there as they are.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-throughput}"
seconds="${1:-8}"
connections="${2:-20,64}"
rounds="${3:-2}"
plan="$root/tests/bench/plans/throughput-compare.json"
out="$(mktemp -d)"
if [ "${BENCH_REUSE_BUILD:-0}" != 1 ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFAULTLINE_TESTS=ON >/dev/null
  cmake --build "$build" --target faultline throughput_bench -j"${JOBS:-2}" >/dev/null
fi
echo "build: $build ($(grep -E '^CMAKE_BUILD_TYPE' "$build/CMakeCache.txt" | cut -d= -f2))"
bin="$build/cli/faultline"
bench="$build/tests/bench/throughput_bench"
command -v etcd >/dev/null || { echo "etcd is missing: apt-get install etcd-server (scripts/setup.sh)"; exit 3; }
echo "runs in $out; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  "$bench" "$plan" --faultline "$bin" --connections "$connections" --seconds "$seconds" \
    --set topology.workers=2 --mcp --out "$out/embedded-$round"
  "$bench" "$plan" --faultline "$bin" --connections "$connections" --seconds "$seconds" \
    --set topology.kind=etcd --out "$out/etcd-$round"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
