#!/usr/bin/env bash
# Records a 100,000-operation history from a real drill on the embedded cluster
# (tests/bench/plans/history-100k.json: 20 clients, 100 keys, half reads, the
# leader killed and restarted), then times the linearizability check of that
# journal on its own and reports its peak memory.
#   scripts/bench-drill-history.sh [RUN_FOLDER]
# The drill itself takes as long as the cluster needs for 100,000 operations
# (its throughput is printed); only the check is the benchmark.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-drill}"
run="${1:-$(mktemp -d)/run}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target faultline -j"${JOBS:-2}"
bin="$build/cli/faultline"
start=$(date +%s.%N)
"$bin" run "$root/tests/bench/plans/history-100k.json" --out "$run" || true
end=$(date +%s.%N)
ops=$(grep -c '"kind":"op.complete"' "$run/journal.jsonl")
echo "drill: $ops operations completed in $(echo "$end - $start" | bc) s (whole run, set-up and read-back included)"
echo "load before the check: $(cut -d' ' -f1-3 /proc/loadavg)"
# /usr/bin/time -v reports the peak resident set of the checking process.
/usr/bin/time -v "$bin" check-history "$run/journal.jsonl" --model kv 2> "$run/check-time.txt" | head -5
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$run/check-time.txt"
