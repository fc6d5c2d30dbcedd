#!/usr/bin/env bash
# Leader kill on the embedded cluster and on etcd 3.4, the same plan with only
# topology.kind changed (tests/bench/plans/leader-kill-compare.json), TRIALS
# runs of each with seeds 1..TRIALS, the kinds taking turns so that both see
# the same machine. Prints min, p50, p90 and max of the RTO and of its parts
# (detect, new leader, first ack) for each, measured from each run's journal
# by the verdict's own RTO checker (tests/bench/rto_distribution.cpp), and
# etcd's own campaign and election times from its members' logs.
#
# Both count the election timeout as etcd does (election_timer "ticks": in
# heartbeat ticks, 5 to 9 of 50 ms drawn, the first tick after a heartbeat a
# partial one, so a campaign 200 to 450 ms after the last heartbeat). The
# embedded cluster also finds a killed leader's process gone by its closed
# stream and refused port, and campaigns at once (campaign_when_leader_gone,
# on by default; docs/reference-cluster.md). A third series,
# "embedded-timer", turns that off: the embedded cluster then learns of the
# kill from its election timer alone, as etcd does. Set LIKE_FOR_LIKE=0 to
# leave it out.
#   scripts/bench-etcd-vs-embedded.sh [TRIALS] [OUT_DIR]
# Needs etcd (scripts/setup.sh installs etcd-server); about 12 s a run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-etcd}"
trials="${1:-20}"
out="${2:-$(mktemp -d)}"
plan="$root/tests/bench/plans/leader-kill-compare.json"
series=(embedded etcd)
[ "${LIKE_FOR_LIKE:-1}" = 1 ] && series+=(embedded-timer)
# BENCH_REUSE_BUILD=1 with FAULTLINE_BENCH_BUILD=DIR: use what is built there.
if [ "${BENCH_REUSE_BUILD:-0}" != 1 ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target faultline rto_distribution -j"${JOBS:-2}" >/dev/null
fi
bin="$build/cli/faultline"
mkdir -p "$out"
echo "runs in $out; load $(cut -d' ' -f1-3 /proc/loadavg)"
for seed in $(seq 1 "$trials"); do
  for name in "${series[@]}"; do
    case "$name" in
      embedded-timer) set_args=(--set topology.kind=embedded --set topology.campaign_when_leader_gone=false) ;;
      *) set_args=(--set "topology.kind=$name") ;;
    esac
    rc=0
    "$bin" run "$plan" --seed "$seed" "${set_args[@]}" --out "$out/$name-$seed" >"$out/$name-$seed.txt" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || echo "$name seed $seed: exit $rc (see $out/$name-$seed.txt)"
    grep -h "RTO parts" "$out/$name-$seed.txt" | sed "s/^/$name seed $seed: /" || true
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for name in "${series[@]}"; do
  journals=()
  for seed in $(seq 1 "$trials"); do journals+=("$out/$name-$seed/journal.jsonl"); done
  "$build/tests/bench/rto_distribution" "$name" "${journals[@]}"
done
# etcd's own view, from its members' logs: a survivor notices the kill when
# its stream from the leader breaks; then one campaigns, then one wins.
python3 - "$out" <<'PY'
import datetime, glob, json, statistics, sys
def ms(line):
    return datetime.datetime.strptime(line["ts"][:23], "%Y-%m-%dT%H:%M:%S.%f").timestamp() * 1000
campaign, leader = [], []
for run in sorted(glob.glob(sys.argv[1] + "/etcd-[0-9]*/")):
    lines = []
    for log in glob.glob(run + "members/*/log.txt"):
        for text in open(log):
            try:
                lines.append(json.loads(text))
            except ValueError:
                pass
    lines = sorted((l for l in lines if "ts" in l), key=ms)
    lost = [l for l in lines if "lost TCP streaming connection" in l.get("msg", "")]
    if not lost:
        continue
    t0 = ms(lost[0])
    c = [ms(l) - t0 for l in lines if "is starting a new election" in l.get("msg", "") and ms(l) >= t0]
    b = [ms(l) - t0 for l in lines if "became leader" in l.get("msg", "") and ms(l) >= t0]
    if c: campaign.append(c[0])
    if b: leader.append(b[0])
def show(name, v):
    v = sorted(v)
    if not v:
        return
    rank = lambda p: v[max(1, min(len(v), -(-len(v) * p // 100))) - 1]
    print("  %-11s %5d %8.0f %8.0f %8.0f %8.0f" % (name, len(v), v[0], rank(50), rank(90), v[-1]))
print("etcd's logs, ms after its stream from the killed leader broke:")
print("  %-11s %5s %8s %8s %8s %8s" % ("ms", "runs", "min", "p50", "p90", "max"))
show("campaign", campaign)
show("leader", leader)
PY
