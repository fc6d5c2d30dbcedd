#!/usr/bin/env bash
# Builds the link proxy benchmark in Release and runs it against socat and
# haproxy, side by side on loopback, on free ports; prints one table.
#   scripts/bench-proxy.sh [proxy_bench run options: --trips N --seconds S --size B]
# socat and haproxy come from scripts/setup.sh. The haproxy here is our own,
# in the foreground (-db) with a config in a temporary folder; a system
# haproxy service, if any, is neither used nor touched.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FAULTLINE_BENCH_BUILD:-$root/build-bench-proxy}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFAULTLINE_TESTS=ON >/dev/null
cmake --build "$build" --target proxy_bench -j"${JOBS:-2}" >/dev/null
bench="$build/tests/bench/proxy_bench"

tmp="$(mktemp -d /tmp/faultline-bench-proxy.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Six free loopback ports: the bench's echo and sink servers, then a front
# port for each of socat and haproxy towards each of them.
mapfile -t ports < <("$bench" free-ports 6)
echo_port=${ports[0]} sink_port=${ports[1]}
socat_echo=${ports[2]} socat_sink=${ports[3]}
haproxy_echo=${ports[4]} haproxy_sink=${ports[5]}

others=()
if command -v socat >/dev/null; then
  socat TCP-LISTEN:"$socat_echo",bind=127.0.0.1,fork,reuseaddr TCP:127.0.0.1:"$echo_port" &
  pids+=($!)
  socat TCP-LISTEN:"$socat_sink",bind=127.0.0.1,fork,reuseaddr TCP:127.0.0.1:"$sink_port" &
  pids+=($!)
  others+=(--socat-echo "$socat_echo" --socat-sink "$socat_sink")
else
  echo "bench-proxy: socat not installed (scripts/setup.sh installs it); skipped" >&2
fi
haproxy_bin="$(command -v haproxy || true)"
[ -z "$haproxy_bin" ] && [ -x /usr/sbin/haproxy ] && haproxy_bin=/usr/sbin/haproxy
if [ -n "$haproxy_bin" ]; then
  cat >"$tmp/haproxy.cfg" <<CFG
global
  maxconn 256
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend echo_in
  bind 127.0.0.1:$haproxy_echo
  default_backend echo_out
backend echo_out
  server echo 127.0.0.1:$echo_port
frontend sink_in
  bind 127.0.0.1:$haproxy_sink
  default_backend sink_out
backend sink_out
  server sink 127.0.0.1:$sink_port
CFG
  "$haproxy_bin" -db -f "$tmp/haproxy.cfg" >"$tmp/haproxy.log" 2>&1 &
  pids+=($!)
  others+=(--haproxy-echo "$haproxy_echo" --haproxy-sink "$haproxy_sink")
else
  echo "bench-proxy: haproxy not installed (scripts/setup.sh installs it); skipped" >&2
fi

# Wall-clock figures depend on what else runs: report the load with them.
echo "load before: $(uptime)"
"$bench" run --echo-port "$echo_port" --sink-port "$sink_port" "${others[@]}" "$@"
echo "load after:  $(uptime)"
