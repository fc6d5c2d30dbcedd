// Fakes behind the fault seams, for unit tests of the fault kinds and the
// registry: a ProcessControl that records what it was asked and answers as
// scripted, a LinkControl that records the effects set on it and measures
// whatever the test says, and a FaultEnvironment over both with members the
// test describes. Its coordinators have admin failpoints that behave like
// the reference coordinator's (a clock that reads off by what was asked, a
// disk that reports its mode; fail_fsync crashes the member), and its
// workers may have a libfaketime control file whose offset a probe reads.
// No process, socket or namespace is touched (a control file may be).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "chaos/faults/fault.hpp"

namespace faultline::testing {

class FakeProcessControl final : public process::ProcessControl {
 public:
  std::vector<std::string> calls;         // "kill c1 9", "pause w2", "resume w2", "spawn c1"
  std::set<std::string> running;          // members whose process runs
  std::set<std::string> refuse_pause;     // pause() fails for these
  std::map<std::string, process::ExitStatus> exits;  // how the last process of each ended

  process::SpawnResult spawn(const process::MemberSpec& spec) override;
  process::ExitResult kill(const std::string& id, int signal, process::Clock::time_point) override;
  process::SignalResult pause(const std::string& id, process::Clock::time_point) override;
  process::SignalResult resume(const std::string& id, process::Clock::time_point) override;
  process::ExitResult stop(const std::string& id, std::chrono::milliseconds) override;
  process::SpawnResult restart(const std::string& id, std::chrono::milliseconds) override;
  process::ExitResult wait_exit(const std::string& id, process::Clock::time_point) override;
  bool is_running(const std::string& id) override { return running.count(id) > 0; }
  std::optional<int> pid(const std::string& id) const override;
  std::vector<std::string> shutdown_all() override;
};

class FakeLinkControl final : public faults::LinkControl {
 public:
  std::map<int, faults::LinkEffects> owners;  // what is set now
  std::vector<std::string> calls;             // "set 0", "clear 0"
  // Links that the next reachability() reports against the set effects
  // (simulating a backend that did not do what it was asked).
  std::set<faults::Link> lie_about;
  double rtt_ms = 0;  // what rtt() measures on top of the set latency

  std::string backend() const override { return "fake"; }
  std::optional<std::string> set(int owner, const faults::LinkEffects& effects) override;
  std::optional<std::string> clear(int owner) override;
  std::optional<std::string> verify(int owner) override;
  nlohmann::json counters(int owner) override;
  std::vector<faults::ReachProbe> reachability(const std::vector<std::string>& members) override;
  faults::RttProbe rtt(const faults::Link& link, int count) override;

  bool blocked(const faults::Link& link) const;
};

class FakeEnvironment final : public faults::FaultEnvironment {
 public:
  FakeEnvironment(std::vector<std::string> voters, std::vector<std::string> workers, std::string leader);

  std::vector<faults::MemberView> observe() override;
  std::optional<std::string> busiest_worker() override { return busiest; }
  process::ProcessControl& processes() override { return processes_; }
  bool restart(const std::string& id, faults::Deadline, std::string& error) override;
  bool is_worker(const std::string& id) const override;
  std::vector<std::string> voters() const override { return voters_; }
  std::vector<std::string> workers() const override { return workers_; }
  std::vector<std::string> others() const override { return others_list; }
  faults::LinkControl* links() override { return with_links ? &links_ : nullptr; }
  std::mt19937_64& rng() override { return rng_; }
  std::int64_t now_ns() const override { return ++clock_; }
  void record(const std::string& event_kind, faults::Json fields) override;
  faults::AdminAnswer admin(const std::string& id, const std::string& method, const std::string& path,
                            const faults::Json& body) override;
  faults::ClockAccess clock_access(const std::string& id) override;
  faults::LogPosition log_position(const std::string& id) override;
  bool caught_up(const std::string& id, std::string& why) override;
  bool drop_unsynced(const std::string& id, faults::Json& report, std::string& error) override;
  faults::ProbeOutput probe(const std::string& id, const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout) override;
  process::SpawnResult start_helper(const std::string& id, const std::string& name,
                                    const std::vector<std::string>& argv) override;

  // A coordinator's failpoints as the fake keeps them.
  struct Failpoints {
    double skew_ms = 0;
    double drift_pct = 0;
    std::chrono::steady_clock::time_point drift_since;
    std::string disk = "off";
    double delay_ms = 0;
  };
  std::map<std::string, Failpoints> failpoints;
  std::vector<std::string> admin_calls;        // "PUT c1 /admin/failpoints/clock {...}"
  std::set<std::string> no_admin;              // admin() fails for these
  std::set<std::string> lagging;               // caught_up() is false for these
  std::map<std::string, std::uint64_t> commit; // log_position's commit index (default 10)
  std::filesystem::path faketime_dir;          // set: workers take libfaketime, files here
  std::vector<std::string> dropped;            // members drop_unsynced() was asked for
  std::vector<std::vector<std::string>> helpers;  // argv of each helper started
  std::uint64_t term = 3;                      // every voter's term in observe()
  std::function<void(const std::string&)> on_restart;               // after restart(id)
  std::function<faults::LogPosition(const std::string&)> log_script;  // replaces log_position

  std::string leader;
  // Members named by id only (Redis sentinels); set before the fault runs.
  std::vector<std::string> others_list;
  std::optional<std::string> busiest;
  bool with_links = true;
  std::vector<std::pair<std::string, faults::Json>> events;
  FakeProcessControl& fake_processes() { return processes_; }
  FakeLinkControl& fake_links() { return links_; }
  const faults::Json* last(const std::string& event_kind) const;

 private:
  std::vector<std::string> voters_, workers_;
  FakeProcessControl processes_;
  FakeLinkControl links_;
  std::mt19937_64 rng_{42};
  mutable std::int64_t clock_ = 0;
};

// The request the registry gets for `kind` with `params` (defaults filled
// in as validation would).
faults::FaultRequest request_for(const std::string& kind, const std::string& target,
                                 faults::Json params = faults::Json::object(), std::size_t index = 0);

}  // namespace faultline::testing
