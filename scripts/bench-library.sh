#!/usr/bin/env bash
# Wall-clock time of the whole drill library (every drills/library/*.json as
# one `faultline run` suite, LIBRARY_JOBS plans at a time, default 2: one per
# core) and of the CI suite (drills/suites/ci.json, one plan at a time, as
# .ci/run runs it), with each plan's own time and verdict, on this machine.
# SEQUENTIAL=1 also times the library one plan at a time. A benchmark, not
# a test: it prints figures and keeps the runs.
#   scripts/bench-library.sh [OUT_DIR]
# Builds the Release binary (build-release, as scripts/demo.sh) unless
# FAULTLINE_BIN names one. The goal of the library is under 3 minutes on
# two cores. Needs what the library needs: root (network namespaces), etcd
# and Redis (scripts/setup.sh); a plan that cannot run says so (exit 3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/bench-library-$(date -u +%Y%m%d-%H%M%S)}"
bin="${FAULTLINE_BIN:-}"
if [ -z "$bin" ]; then
  cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DFAULTLINE_TESTS=OFF >/dev/null
  cmake --build "$root/build-release" --target faultline -j"${JOBS:-2}" >/dev/null
  bin="$root/build-release/cli/faultline"
fi
mkdir -p "$out"
echo "faultline: $("$bin" --version); runs in $out"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# One suite: runs it, keeps its JSON, prints each plan's line and the total.
run_suite() {
  local label=$1
  shift
  local json="$out/$label.json" rc=0 began ended
  began=$(date +%s.%N)
  "$bin" run "$@" --out "$out/$label" --json >"$json" 2>"$out/$label.err" || rc=$?
  ended=$(date +%s.%N)
  python3 - "$json" "$label" "$began" "$ended" "$rc" <<'PY'
import json, sys
path, label, began, ended, rc = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
try:
    suite = json.load(open(path))
except ValueError:
    print(f"{label}: no JSON (exit {rc}); see {path[:-5]}.err")
    sys.exit(0)
print(f"\n{label}: {len(suite['plans'])} plans")
print(f"  {'plan':28} {'verdict':12} {'time':>8}  {'RTO':>10}")
for p in suite["plans"]:
    rto = "-" if p["rto_ms"] is None else f"{p['rto_ms']:.1f} ms"
    print(f"  {p['name']:28} {p['verdict']:12} {p['seconds']:7.1f}s  {rto:>10}")
total = sum(p["seconds"] for p in suite["plans"])
print(f"  sum of plan times {total:.1f} s; suite {suite['seconds']:.1f} s; wall clock {ended - began:.1f} s"
      f" ({(ended - began) / 60:.2f} min); exit {rc} ({suite['verdict']})")
PY
}

library_jobs="${LIBRARY_JOBS:-2}"
run_suite "library-jobs-$library_jobs" "$root"/drills/library/*.json --jobs "$library_jobs"
[ "${SEQUENTIAL:-0}" = 1 ] && run_suite library-jobs-1 "$root"/drills/library/*.json
run_suite ci "$root/drills/suites/ci.json"
