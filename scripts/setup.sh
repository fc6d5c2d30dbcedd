#!/usr/bin/env bash
# Installs every Debian package Faultline needs to build, test and run its
# drills. Idempotent: packages already present are left alone, and apt is not
# touched at all when nothing is missing.
set -euo pipefail

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

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
