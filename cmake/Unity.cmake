# Unity builds (FAULTLINE_UNITY_BUILD=ON, what CI and scripts/build.sh use on
# a fresh tree): each target compiles its sources in batches of 8 per
# translation unit, which parses the heavy headers (nlohmann/json, gtest,
# Asio) once per batch instead of once per file: about 2.5 times less
# compile time for the same objects. Off by default for incremental work,
# where a batch recompiles for one changed file.
#
# The files below keep file-private helpers or constants whose names another
# file of the same target also uses in its anonymous namespace (or an
# anonymous-namespace type in a class's Impl), so they compile on their own.
# A new collision shows up as a redefinition error in a unity build: add the
# later file here, or give the helper a name of its own.
option(FAULTLINE_UNITY_BUILD "Compile each target's sources in batches (faster fresh builds)" OFF)

set(FAULTLINE_UNITY_SOLO
  chaos/network/kernel.cpp
  chaos/network/proxy_backend.cpp
  chaos/process/supervisor.cpp
  cluster/store/power_loss.cpp
  drills/plan/validate.cpp
  drills/runner/rollbacks.cpp
  drills/runner/run_environment.cpp
  drills/targets/embedded.cpp
  drills/targets/etcd.cpp
  drills/targets/etcd_client.cpp
  drills/targets/member_process.cpp
  drills/targets/processes.cpp
  drills/targets/processes_client.cpp
  drills/targets/redis.cpp
  drills/targets/redis_client.cpp
  drills/targets/sentinel_watch.cpp
  drills/targets/target.cpp
  drills/verify/failover_checks.cpp
  drills/verify/lin/parse_journal.cpp
  drills/verify/trials.cpp
  reports/plan_suite.cpp
  reports/plan_suite_html.cpp
  reports/sections.cpp
  reports/suite.cpp
  reports/suite_html.cpp
  reports/text.cpp
  tests/drill/drill_test.cpp
  tests/drill/fallback_test.cpp
  tests/drill/fault_drills_test.cpp
  tests/drill/network_drill_test.cpp
  tests/drill/redis_drill_test.cpp
  tests/drill/revert_test.cpp
  tests/drill/stop_drill_test.cpp
  tests/drill/trials_drill_test.cpp
  tests/drill/worker_drill_test.cpp
  tests/plan/fault_support_test.cpp
  tests/plan/percentiles_test.cpp
  tests/plan/plan_errors_test.cpp
  tests/plan/plan_hash_test.cpp
  tests/plan/plan_load_test.cpp
  tests/plan/schema_test.cpp
  tests/sim/simulator_test.cpp
  tests/verify/halt_test.cpp
  tests/verify/hypothesis_test.cpp
  tests/verify/trials_test.cpp)

# Called at the end of the top-level CMakeLists, once every target exists.
function(faultline_unity_exclusions)
  if(NOT FAULTLINE_UNITY_BUILD)
    return()
  endif()
  foreach(file IN LISTS FAULTLINE_UNITY_SOLO)
    # Without the tests (FAULTLINE_TESTS=OFF, scripts/demo.sh) their folders
    # are no build directories, and naming one is a configure error.
    if(file MATCHES "^tests/" AND NOT FAULTLINE_TESTS)
      continue()
    endif()
    get_filename_component(dir ${file} DIRECTORY)
    set_source_files_properties(${PROJECT_SOURCE_DIR}/${file} DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}
                                PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endforeach()
endfunction()
