// The bundled failure-detector drills, one fault and two detectors: a 250 ms
// latency spike on what the busiest node sends the coordinators (each of its
// heartbeats waits for the one before, so they arrive ~350 ms apart while it
// lasts, instead of ~100 ms). The fixed
// detector with a short nodeTimeout marks the healthy node unhealthy and its
// sessions move without cause (the fixed plan expects that objective to
// fail, and passes because it does); the adaptive detector keeps the node,
// no session moves, and that plan passes on its plain objectives. Each
// premise is checked in the journal and the coordinators' logs, not assumed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string plan(const std::string& name) {
  return std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/detector-latency-spike-" + name + ".json";
}

// Suspicions that ended while the node lived: the coordinators' "Node <id>
// is active again" lines. (A node stopped at the end of the run is marked
// unhealthy too, and rightly, but never comes back.)
int false_suspicions(const std::filesystem::path& run) {
  int ended = 0;
  for (const char* c : {"c1", "c2", "c3"}) {
    const std::string log = read_file(run / "members" / c / "log.txt");
    for (auto at = log.find("is active again"); at != std::string::npos; at = log.find("is active again", at + 1)) {
      ++ended;
    }
  }
  return ended;
}

// The latency fault took effect: injected and confirmed on the links from a worker.
void expect_the_spike_was_applied(const std::vector<Json>& events) {
  bool applied = false;
  for (const Json& e : events) {
    if (e.value("kind", "") == "fault.inject" && e.value("fault_kind", "") == "latency") {
      applied = e.value("applied", "").find("latency 250.0 ms") == 0 && !e.value("confirmed", "").empty();
      EXPECT_NE(e.dump().find("\"w"), std::string::npos) << "the fault's links name a worker: " << e.dump();
    }
  }
  EXPECT_TRUE(applied) << "no applied latency fault in the journal";
}

TEST(DetectorDrill, TheFixedDetectorsFalsePositiveMovesSessionsWithoutCause) {
  const auto out = scratch_dir("drill-detector-fixed");
  const auto result = run_cli({"run", plan("fixed"), "--out", (out / "run").string()}, 120s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL  sessions_moved_without_cause"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("[expected to fail]"), std::string::npos) << result.out;
  const auto events = journal_events(out / "run" / "journal.jsonl");
  expect_the_spike_was_applied(events);
  const Json moved = check_event(events, "sessions_moved_without_cause");
  ASSERT_FALSE(moved.is_null());
  EXPECT_GT(moved.at("measured").get<double>(), 0) << moved.dump();
  const Json lost = check_event(events, "calls_lost");
  ASSERT_FALSE(lost.is_null());
  EXPECT_EQ(lost.at("pass"), true) << lost.dump();
  // Why they moved: the fixed detector suspected the node.
  const std::string c_logs = read_file(out / "run" / "members" / "c1" / "log.txt") +
                             read_file(out / "run" / "members" / "c2" / "log.txt") +
                             read_file(out / "run" / "members" / "c3" / "log.txt");
  EXPECT_GT(false_suspicions(out / "run"), 0);
  EXPECT_NE(c_logs.find("fixed failure detector, silent "), std::string::npos);
  std::filesystem::remove_all(out);
}

TEST(DetectorDrill, TheAdaptiveDetectorRidesOutTheSameSpike) {
  const auto out = scratch_dir("drill-detector-adaptive");
  const auto result = run_cli({"run", plan("adaptive"), "--out", (out / "run").string()}, 120s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto events = journal_events(out / "run" / "journal.jsonl");
  expect_the_spike_was_applied(events);
  const Json moved = check_event(events, "sessions_moved_without_cause");
  ASSERT_FALSE(moved.is_null());
  EXPECT_EQ(moved.at("measured").get<double>(), 0) << moved.dump();
  EXPECT_EQ(moved.at("pass"), true);
  EXPECT_EQ(false_suspicions(out / "run"), 0) << read_file(out / "run" / "members" / "c1" / "log.txt");
  // The premise of "rides out": sessions were being called on the node
  // the spike hit (a drill with no calls would pass vacuously).
  const Json lost = check_event(events, "calls_lost");
  ASSERT_FALSE(lost.is_null());
  EXPECT_EQ(lost.at("pass"), true) << lost.dump();
  EXPECT_NE(lost.value("detail", "").find(" calls)"), std::string::npos) << lost.dump();
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace faultline::testing
