#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, builds,
# and runs every tier (unit, property, cluster, drill) with ctest. Drill tests
# are marked RUN_SERIAL, so they never share the cores with other tests.
#   scripts/test.sh            all tiers
#   TIERS='unit|property' scripts/test.sh   some tiers (a ctest label regex)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh "${BUILD_DIR:-build}"
ctest --test-dir "${BUILD_DIR:-build}" -L "${TIERS:-unit|property|cluster|drill}" -j2 \
  --output-on-failure --timeout 300
