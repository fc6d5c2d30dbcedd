#!/usr/bin/env bash
# Configures and builds Faultline with both cores.
#   scripts/build.sh [BUILD_DIR] [extra cmake -D options...]
# Warnings are errors when CI=true. BUILD_TYPE picks the CMake build type.
# Sources compile in unity batches (cmake/Unity.cmake: a fresh build in about
# half the time); FAULTLINE_UNITY_BUILD=OFF for incremental work on a file.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
werror=OFF
if [ "${CI:-}" = "true" ]; then werror=ON; fi
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DFAULTLINE_WERROR="$werror" -DFAULTLINE_UNITY_BUILD="${FAULTLINE_UNITY_BUILD:-ON}" "$@" >/dev/null
cmake --build "$build_dir" -j2
