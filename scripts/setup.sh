#!/usr/bin/env bash
# Installs every Debian package Faultline needs to build, test and run its
# drills, and the pinned npm packages of the MCP tests (tests/mcp/node:
# the official TypeScript SDK and server-everything, from its
# package-lock.json with npm ci). Idempotent: packages already present are
# left alone, apt is not touched at all when nothing is missing, and npm ci
# runs only when the lockfile changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

# The MCP tests' npm packages, exactly as locked (npm registry only).
npm_packages() {
  local dir=tests/mcp/node
  local stamp=$dir/node_modules/.faultline-lock.sha256
  local want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "setup: npm packages of $dir present"
    return
  fi
  echo "setup: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}

packages=(
  build-essential cmake pkg-config git
  libboost-dev libboost-filesystem-dev libboost-system-dev
  libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev
  librapidcheck-dev libgtest-dev libgmock-dev libcpp-httplib-dev
  libssl-dev libbrotli-dev zlib1g-dev
  iproute2 nftables procps psmisc curl time bc valgrind
  socat haproxy  # compared with the link proxy by scripts/bench-proxy.sh
  redis-server redis-sentinel libhiredis-dev  # the redis-sentinel target and its client
  # The etcd target (drills/library/etcd-*.json). A system-wide etcd that the
  # package may start is neither used nor touched: drills run their own
  # members on their own ports, with their data in the run folder.
  etcd-server
  faketime libfaketime  # clock faults on members started under libfaketime
  stress-ng  # cpu and memory pressure faults
)
# node and npm for the MCP tests; a machine that has them from elsewhere
# (nodesource) keeps its own.
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  npm_packages
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
npm_packages
