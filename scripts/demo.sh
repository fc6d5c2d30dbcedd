#!/usr/bin/env bash
# The main job, from a fresh machine: installs what is missing, builds, and
# runs the bundled leader-kill drill on the embedded reference cluster. Ends
# with the report's path and the verdict; the exit code is the drill's.
#   scripts/demo.sh [PLAN] [faultline run options...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_TYPE=${BUILD_TYPE:-Release} bash scripts/build.sh "${BUILD_DIR:-build-release}" -DFAULTLINE_TESTS=OFF
plan=${1:-drills/library/leader-kill.json}
shift || true
exec "${BUILD_DIR:-build-release}/cli/faultline" run "$plan" "$@"
