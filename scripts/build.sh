#!/usr/bin/env bash
# Configures and builds Faultline with both cores.
#   scripts/build.sh [BUILD_DIR] [extra cmake -D options...]
# BUILD_TARGETS (space-separated) builds only those targets, e.g.
# faultline_fast_tests (the unit and property binaries and the CLI).
# FAULTLINE_DEBUG_INFO=lines builds with line tables only (-g1; CI does).
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
  -DFAULTLINE_WERROR="$werror" -DFAULTLINE_UNITY_BUILD="${FAULTLINE_UNITY_BUILD:-ON}" \
  -DFAULTLINE_DEBUG_INFO="${FAULTLINE_DEBUG_INFO:-full}" "$@" >/dev/null
# shellcheck disable=SC2086  # BUILD_TARGETS is a list
cmake --build "$build_dir" -j2 ${BUILD_TARGETS:+--target $BUILD_TARGETS}
