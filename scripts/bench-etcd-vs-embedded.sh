#!/usr/bin/env bash
# Leader kill on the embedded cluster and on etcd 3.4, the same plan with only
# topology.kind changed (tests/bench/plans/leader-kill-compare.json), TRIALS
# runs of each with seeds 1..TRIALS, alternating the two kinds so that both
# see the same machine. Prints min, p50, p90 and max of the RTO and of its
# parts (detect, new leader, first ack) for each kind, measured from each
# run's journal by the verdict's own RTO checker (tests/bench/rto_distribution.cpp).
#   scripts/bench-etcd-vs-embedded.sh [TRIALS] [OUT_DIR]
# Needs etcd (scripts/setup.sh installs etcd-server); takes about 12 s a run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-etcd}"
trials="${1:-20}"
out="${2:-$(mktemp -d)}"
plan="$root/tests/bench/plans/leader-kill-compare.json"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target faultline rto_distribution -j"${JOBS:-2}" >/dev/null
bin="$build/cli/faultline"
echo "runs in $out; load $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$out"
for seed in $(seq 1 "$trials"); do
  for kind in embedded etcd; do
    rc=0
    "$bin" run "$plan" --seed "$seed" --set "topology.kind=$kind" --out "$out/$kind-$seed" \
      >"$out/$kind-$seed.txt" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || echo "$kind seed $seed: exit $rc (see $out/$kind-$seed.txt)"
    grep -h "RTO parts" "$out/$kind-$seed.txt" | sed "s/^/$kind seed $seed: /" || true
  done
done
for kind in embedded etcd; do
  "$build/tests/bench/rto_distribution" "$kind" "$out"/"$kind"-*/journal.jsonl
done
