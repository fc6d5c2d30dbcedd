// The process, clock, disk and resource faults on a real reference cluster
// (coordinator processes on loopback, under a Supervisor), driven through
// the runner's own fault environment, each asserting what it does that can
// be seen from outside: a terminated member's exit, K restarts of a crash
// loop, a skewed member's reported time, a drifting leader's heartbeats as
// its followers measure them, fsync latency, a write refused after EIO,
// acknowledged writes lost after lying fsyncs and a power loss, stress-ng's
// load and that nothing of it outlives its heal, and a worker's wall clock
// under libfaketime as a probe reads it.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "chaos/faults/proc_usage.hpp"
#include "chaos/faults/registry.hpp"
#include "drills/journal/journal.hpp"
#include "drills/runner/run_environment.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

faults::FaultRequest request(const std::string& kind, const std::string& target, Json params = Json::object(),
                             std::size_t index = 0) {
  faults::FaultRequest r;
  r.index = index;
  r.spec = faults::find_kind(kind);
  r.target = target;
  for (const auto& p : r.spec->params) {
    if (!params.contains(p.name) && p.fallback && p.when_param.empty()) params[p.name] = *p.fallback;
  }
  r.params = std::move(params);
  return r;
}

// A real cluster with the runner's fault environment over it.
class RealFaults : public ::testing::Test {
 protected:
  void start(int coordinators = 3, int workers = 0, bool faketime = false) {
    harness_ = std::make_unique<ClusterHarness>(coordinators, 7, false, workers, faketime);
    ASSERT_TRUE(harness_->start()) << harness_->error();
    ASSERT_TRUE(harness_->wait_leader().has_value());
    if (workers > 0) {
      ASSERT_TRUE(harness_->wait_workers()) << harness_->error();
    }
    journal_ = std::make_unique<journal::JournalWriter>(harness_->dir() / "journal.jsonl", journal::monotonic_ns());
    env_ = std::make_unique<runner::RunEnvironment>(harness_->cluster(), harness_->supervisor(), harness_->network(),
                                                    *journal_, 7, nullptr);
    registry_ = std::make_unique<faults::FaultRegistry>(*env_);
  }
  void TearDown() override {
    stop_writes();
    registry_.reset();
  }

  std::string leader() { return harness_->wait_leader().value_or(""); }
  std::string follower() { return harness_->other_than(leader()); }
  Json status(const std::string& id) {
    return Json::parse(harness_->get(id, "/api/raft/status").body, nullptr, false);
  }
  std::vector<Json> events(const std::string& kind) {
    std::vector<Json> out;
    for (const auto& e : journal_events(harness_->dir() / "journal.jsonl")) {
      if (e.value("kind", "") == kind) out.push_back(e);
    }
    return out;
  }
  bool step_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (auto error = registry_->step_all()) {
        ADD_FAILURE() << *error;
        return false;
      }
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  // Writes to whoever leads, one key at a time, until stopped (at most 2,000
  // writes): the syncs a disk fault is confirmed by.
  void start_writes() {
    writing_ = true;
    writer_ = std::thread([this] {
      for (int i = 0; i < 2000 && writing_; ++i) {
        const std::string to = harness_->cluster().voters()[static_cast<std::size_t>(i) % 3]->id;
        harness_->put(to, "bg" + std::to_string(i), "v");
        std::this_thread::sleep_for(10ms);
      }
    });
  }
  void stop_writes() {
    writing_ = false;
    if (writer_.joinable()) writer_.join();
  }

  std::unique_ptr<ClusterHarness> harness_;
  std::unique_ptr<journal::JournalWriter> journal_;
  std::unique_ptr<runner::RunEnvironment> env_;
  std::unique_ptr<faults::FaultRegistry> registry_;
  std::atomic<bool> writing_{false};
  std::thread writer_;
};

TEST_F(RealFaults, TerminatedMemberExitsByItselfAndComesBack) {
  start();
  const std::string id = follower();
  ASSERT_FALSE(registry_->inject(request("terminate", id, {{"grace_ms", 3000}})));
  const auto exits = events("member.exit");
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0]["member"], id);
  EXPECT_EQ(exits[0]["code"], 0) << exits[0].dump();
  const Json inject = registry_->last_injection();
  EXPECT_EQ(inject["measured"]["members"][0]["exited_by_itself"], true);
  EXPECT_LT(inject["measured"]["members"][0]["took_ms"].get<double>(), 3000);
  EXPECT_FALSE(harness_->supervisor().is_running(id));
  ASSERT_FALSE(registry_->heal(0, "timeline"));
  EXPECT_EQ(harness_->get(id, "/health").status, 200);
}

TEST_F(RealFaults, CrashLoopRestartsTheMemberKTimes) {
  start();
  const std::string id = follower();
  ASSERT_FALSE(registry_->inject(request("crash_loop", id, {{"count", 3}, {"interval_ms", 400}})));
  ASSERT_TRUE(step_until(
      [&] {
        const auto s = events("fault.step");
        return !s.empty() && s.back()["action"] == "done";
      },
      20s));
  std::size_t restarts = 0, exits = 0;
  for (const auto& e : events("member.start")) restarts += e["member"] == id && e["restart"] == true;
  for (const auto& e : events("member.exit")) exits += e["member"] == id && e["signal"] == 9;
  EXPECT_EQ(restarts, 3u);
  EXPECT_EQ(exits, 3u);
  EXPECT_EQ(harness_->get(id, "/health").status, 200);
  EXPECT_TRUE(harness_->wait_converged());
}

TEST_F(RealFaults, RollingRestartOfEveryWorkerWaitsUntilTheLeaderCountsEachLive) {
  start(1, 2);
  ASSERT_FALSE(registry_->inject(request("rolling_restart", "workers")));
  ASSERT_TRUE(step_until(
      [&] {
        const auto s = events("fault.step");
        return !s.empty() && s.back()["action"] == "done";
      },
      30s));
  std::vector<std::string> restarted;
  for (const auto& s : events("fault.step")) {
    if (s["action"] == "restarted") restarted.push_back(s["member"]);
  }
  EXPECT_EQ(restarted, (std::vector<std::string>{"w1", "w2"}));
  std::size_t starts = 0;
  for (const auto& e : events("worker.start")) starts += e["restart"] == true;
  EXPECT_EQ(starts, 2u);
  EXPECT_TRUE(harness_->wait_workers());
}

TEST_F(RealFaults, SkewedMemberReportsItsTimeOffButItsRoleInstantTrue) {
  start();
  const std::string id = leader();
  ASSERT_FALSE(registry_->inject(request("clock", id, {{"mode", "offset"}, {"offset_ms", 5000}})));
  const Json measured = registry_->last_injection()["measured"]["members"][0];
  EXPECT_NEAR(measured["measured_skew_ms"].get<double>(), 5000, measured["tolerance_ms"].get<double>());
  const Json s = status(id);
  const std::int64_t after_ns = journal::monotonic_ns();
  EXPECT_NEAR(s["clock"]["skew_ms"].get<double>(), 5000, 2);
  EXPECT_EQ(s["clock"]["mode"], "offset");
  // The instant it took its role is reported on the true clock: before now,
  // not five seconds into the future. (Not before the injection: on a loaded
  // machine the young cluster may re-elect the same leader meanwhile.)
  EXPECT_LE(s["role_since_mono_ns"].get<std::int64_t>(), after_ns);
  // A skew, unlike a rate, changes no timer: the cluster keeps its leader.
  EXPECT_EQ(leader(), id);
  ASSERT_FALSE(registry_->heal(0, "timeline"));
  EXPECT_NEAR(status(id)["clock"]["skew_ms"].get<double>(), 0, 2);
}

class DriftingLeader : public RealFaults {
 protected:
  // Drifts the leader by `pct` and returns the nominal and the drifting
  // mean heartbeat interval seen by a follower, with the leader unchanged.
  void drift_and_measure(double pct, const std::function<bool(double nominal, double now)>& expected,
                         const char* why) {
    start();
    const std::string lead = leader();
    const std::string id = harness_->other_than(lead);
    const auto nominal = mean_when(id, [](double) { return true; });
    ASSERT_TRUE(nominal.has_value());
    EXPECT_NEAR(*nominal, 50, 25) << "heartbeat_ms is 50";
    ASSERT_FALSE(registry_->inject(
        request("clock", lead, {{"mode", "drift"}, {"drift_pct", pct}, {"return", "slew"}, {"slew_pct", 50}})));
    const auto drifting = mean_when(id, [&](double m) { return expected(*nominal, m); });
    EXPECT_TRUE(drifting.has_value()) << why << " (nominal " << *nominal << " ms)";
    // Slewed back rather than stepped: no election, before or after.
    ASSERT_FALSE(registry_->heal(0, "timeline"));
    EXPECT_EQ(leader(), lead);
    EXPECT_EQ(status(id)["leader"], lead);
  }

  std::optional<double> mean_when(const std::string& id, const std::function<bool(double)>& ok) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      const Json c = status(id)["leader_contact"];
      if (c.is_object() && c["intervals"].get<int>() >= 20 && c["mean_interval_ms"].is_number()) {
        const double mean = c["mean_interval_ms"].get<double>();
        if (ok(mean)) return mean;
      }
      std::this_thread::sleep_for(50ms);
    }
    return std::nullopt;
  }
};

TEST_F(DriftingLeader, RunningFastItsHeartbeatsComeMoreOftenAsItsFollowersMeasureThem) {
  drift_and_measure(100, [](double nominal, double now) { return now < nominal * 0.8; },
                    "a leader whose clock runs twice as fast heartbeats more often");
}

TEST_F(DriftingLeader, RunningSlowItsHeartbeatsComeLessOftenAsItsFollowersMeasureThem) {
  drift_and_measure(-50, [](double nominal, double now) { return now > nominal * 1.5; },
                    "a leader whose clock runs at half speed heartbeats half as often, still within the "
                    "followers' 300 ms");
}

TEST_F(RealFaults, SlowFsyncAddsItsDelayToEverySyncAndToCommits) {
  start();
  const std::string id = leader();
  start_writes();
  ASSERT_FALSE(registry_->inject(request("disk", id, {{"mode", "slow_fsync"}, {"delay_ms", 60}})));
  stop_writes();
  const Json disk = registry_->last_injection()["measured"]["members"][0]["disk"];
  EXPECT_GE(disk["mean_ms"].get<double>(), 60.0) << disk.dump();
  // A write waits for the leader's own sync.
  const auto start_at = std::chrono::steady_clock::now();
  EXPECT_EQ(harness_->put(id, "slow", "v").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start_at, 60ms);
  ASSERT_FALSE(registry_->heal(0, "timeline"));
  const Json after = Json::parse(harness_->get(id, "/admin/failpoints").body, nullptr, false);
  EXPECT_EQ(after["disk"]["mode"], "off");
}

TEST_F(RealFaults, AfterEioTheLeaderRefusesTheWriteByStopping) {
  start();
  const std::string id = leader();
  ASSERT_EQ(harness_->request("PUT", id, "/admin/failpoints/disk", R"({"mode":"fail_fsync"})").status, 200);
  // The write needs the leader's sync; the sync fails; the member stops
  // rather than acknowledge a write it could not make durable.
  const auto answer = harness_->put(id, "never", "v");
  EXPECT_NE(answer.status, 200) << answer.body;
  const auto exit = harness_->supervisor().wait_exit(id, std::chrono::steady_clock::now() + 5s);
  ASSERT_TRUE(exit.ok()) << exit.confirmation();
  EXPECT_TRUE(exit.exit->killed_by(SIGABRT)) << exit.exit->describe();
  // The others elect a leader and go on; the write was never acknowledged.
  const std::string other = harness_->other_than(id);
  EXPECT_TRUE(wait_until([&] { return status(other)["role"] == "leader" || (status(other)["leader"].is_string() && status(other)["leader"] != id); }, 10s));
}

TEST_F(RealFaults, FailingFsyncOnAFollowerIsConfirmedByItsExitAndHealedByARestart) {
  start();
  const std::string id = follower();
  start_writes();
  ASSERT_FALSE(registry_->inject(request("disk", id, {{"mode", "fail_fsync"}})));
  stop_writes();
  EXPECT_EQ(registry_->last_injection()["effect"], "down");
  const auto exits = events("member.exit");
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0]["signal"], SIGABRT);
  ASSERT_FALSE(registry_->heal(0, "timeline"));
  EXPECT_EQ(harness_->get(id, "/health").status, 200);
}

TEST_F(RealFaults, LyingMajorityLosesAcknowledgedWritesAtAPowerLoss) {
  start();
  const std::string lead = leader();
  const std::string other = harness_->other_than(lead);
  start_writes();
  ASSERT_FALSE(registry_->inject(request("disk", lead, {{"mode", "lying_fsync"}}, 0)));
  ASSERT_FALSE(registry_->inject(request("disk", other, {{"mode", "lying_fsync"}}, 1)));
  stop_writes();
  std::vector<std::string> acknowledged;
  for (int i = 0; i < 30; ++i) {
    const std::string key = "lied" + std::to_string(i);
    if (harness_->put(lead, key, "v").status == 200) acknowledged.push_back(key);
  }
  ASSERT_EQ(acknowledged.size(), 30u);
  ASSERT_FALSE(registry_->inject(request("power_loss", "all", {{"restart", "lying_first"}}, 2)));
  const Json inject = registry_->last_injection();
  EXPECT_EQ(inject["detail"]["lying"].size(), 2u);
  std::uint64_t dropped = 0;
  for (const auto& m : inject["measured"]["members"]) dropped += m.value("bytes_dropped", std::uint64_t{0});
  EXPECT_GT(dropped, 0u);
  ASSERT_FALSE(registry_->heal(2, "timeline"));
  // The honest member holds those writes as committed, below entries the
  // new leader contradicts; it refuses them (a Raft member never drops a
  // committed entry), so the cluster does not converge: read from the leader.
  const auto now_leading = harness_->wait_leader();
  ASSERT_TRUE(now_leading.has_value());
  EXPECT_TRUE(*now_leading == lead || *now_leading == other) << "the members whose disks lied lead";
  const auto read = harness_->post(*now_leading, "/api/kv-read", Json{{"keys", acknowledged}}.dump());
  ASSERT_EQ(read.status, 200) << read.body;
  const Json values = Json::parse(read.body)["values"];
  std::size_t lost = 0;
  for (const auto& key : acknowledged) lost += values[key].is_null();
  EXPECT_EQ(lost, acknowledged.size()) << "every write acknowledged while a majority lied is gone";
}

TEST_F(RealFaults, CpuPressureIsMeasuredAndLeavesNoProcessBehind) {
  start(1);
  ASSERT_FALSE(registry_->inject(request("cpu", "c1", {{"workers", 1}, {"load_pct", 100}})));
  const Json helper = registry_->last_injection()["measured"]["helpers"][0];
  EXPECT_GE(helper["cores"].get<double>(), 0.5) << helper.dump();
  const int pgid = helper["pid"].get<int>();
  EXPECT_FALSE(faults::group_usage(pgid).pids.empty());
  ASSERT_FALSE(registry_->heal(0, "timeline"));
  const Json heal = events("fault.heal").back();
  EXPECT_GT(heal["measured"]["helpers"][0]["cpu_seconds"].get<double>(), 0.0);
  EXPECT_TRUE(faults::group_usage(pgid).pids.empty());
}

TEST_F(RealFaults, MemoryPressureReachesItsResidentSizeAndLeavesNoProcessBehind) {
  start(1);
  ASSERT_FALSE(registry_->inject(request("memory", "c1", {{"workers", 1}, {"mb", 64}})));
  const Json helper = registry_->last_injection()["measured"]["helpers"][0];
  EXPECT_GE(helper["rss_mb"].get<double>(), 64 * 0.8) << helper.dump();
  const int pgid = helper["pid"].get<int>();
  ASSERT_FALSE(registry_->heal(0, "timeline"));
  EXPECT_TRUE(faults::group_usage(pgid).pids.empty());
}

TEST_F(RealFaults, WorkerUnderLibfaketimeHasItsWallClockShiftedAsAProbeReadsIt) {
  start(1, 1, true);
  ASSERT_FALSE(registry_->inject(request("clock", "w1", {{"mode", "offset"}, {"offset_ms", 30000}})));
  const Json measured = registry_->last_injection()["measured"]["members"][0];
  EXPECT_EQ(measured["way"], "faketime");
  EXPECT_NEAR(measured["measured_skew_ms"].get<double>(), 30000, measured["tolerance_ms"].get<double>());
  // libfaketime leaves the worker working: it still heartbeats and answers.
  EXPECT_EQ(harness_->get("w1", "/health").status, 200);
  EXPECT_TRUE(harness_->wait_workers());
  ASSERT_FALSE(registry_->heal(0, "timeline"));
  const Json healed = events("fault.heal").back()["measured"]["members"][0];
  EXPECT_NEAR(healed["measured_skew_ms"].get<double>(), 0, healed["tolerance_ms"].get<double>());
}

}  // namespace
}  // namespace faultline::testing
