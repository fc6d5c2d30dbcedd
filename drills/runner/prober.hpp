// The declared steady state, live (docs/plan.md#steady_state): every sampled
// probe of the plan (http, metric, raft, cluster, command) asked every
// `steady_state.sample_ms` on a thread of its own, from the observer's
// address (outside every fault), each answer journaled as a `probe` event;
// the probes computed from the workload (success_rate, latency) evaluated on
// the same cadence over the operations as they complete (op_window.hpp),
// not journaled: the verdict computes them again from the operations.
//
// From both, what the run acts on:
//  - before the first fault, whether every `before` probe held (one that
//    failed for longer than its tolerance means the system was not healthy
//    to begin with: the run stops without injecting anything, exit 4), and
//    whether the first fault may go in (each `before` probe has been judged
//    at least once, none is in a failure still within its tolerance);
//  - while the faults run, a halt condition that fired: its probe has
//    failed, without a holding sample in between, for the halt's `for_ms`
//    (counted from the first fault at the earliest);
//  - after recovery, the `after` probes' fresh samples.
//
// Every sample is bounded by the probe's `timeout_ms`; a probe that cannot
// be taken (a timeout, no member to ask, a command that would not start) is
// a failed sample with the reason, never a hang. A slow probe delays only
// its own next sample. Commands run from a supervisor owned by the probe's
// thread, so none outlives the run; their output goes to
// `<run folder>/probes/<probe>.out`.
//
// Thread-safety: start, stop and the judging calls from the runner's main
// thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "drills/journal/journal.hpp"
#include "drills/plan/model.hpp"
#include "drills/runner/monitor.hpp"
#include "drills/runner/op_window.hpp"
#include "drills/runner/probe_judge.hpp"
#include "drills/targets/target.hpp"

namespace faultline::runner {

// What the runner does about the steady state at one instant.
struct SteadyCall {
  enum class Act { go, hold, unhealthy, halt };
  Act act = Act::go;
  std::string probe;     // unhealthy, halt: the probe
  std::string detail;    // its last failed sample's reason
  std::string reason;    // one sentence for people and the journal
  std::int64_t for_ms = 0;       // halt: the condition's for_ms
  std::int64_t since_ns = 0;     // unhealthy, halt: when the failure began
};

// What an OpWindow for this plan must keep: its longest window and a second.
std::int64_t longest_window_ns(const plan::Plan& plan);

class Prober {
 public:
  // `ops` is fed the workload's operations by the journal's observer.
  Prober(const plan::Plan& plan, targets::Target& target, const Monitor& monitor, const OpWindow& ops,
         journal::JournalWriter& journal, std::filesystem::path dir, std::uint64_t seed);
  ~Prober();  // stop()
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;

  bool any() const { return !tracks_.empty(); }

  // Starts sampling, once the observer has a sample of every voter (or 2 s
  // have passed), so that the raft probe does not fail on its first look.
  void start();
  void stop();

  // Before any fault. `fault_due`: the timeline wants to inject its first
  // fault now. unhealthy when a `before` probe failed beyond its tolerance;
  // hold while the fault is due and a `before` probe is not yet judged (at
  // most its timeout or window and 2 s more; then it is unhealthy); go
  // otherwise.
  SteadyCall before_faults(std::int64_t now_ns, bool fault_due);
  // The first fault goes in: the halts are armed from now.
  void faults_started(std::int64_t now_ns);
  // The workload ended or a halt fired: the halts are disarmed.
  void faults_ended() { halts_armed_ = false; }
  // A halt condition that fired, if one did (the first in plan order).
  std::optional<SteadyCall> halt(std::int64_t now_ns) const;

  // After recovery: waits until every sampled `after` probe has a sample
  // taken after `since_ns` (bounded by their timeouts and sample_ms, and by
  // a stop request). False when one did not.
  bool wait_after(std::int64_t since_ns);

 private:
  struct Track {
    plan::ProbeSpec spec;
    bool sampled = false;
    bool before = false, after = false;
    // Guarded by Prober::mu_.
    std::size_t points = 0;
    std::int64_t last_ns = 0;
    std::optional<std::int64_t> failing_since;  // first failing point of the current failure
    std::string failing_detail;                 // the reason its first failed sample gave
    std::string latest_detail;                  // and its latest one
    std::optional<std::int64_t> longest_failure_ns;  // of the failures that ended with a holding point
    std::string worst_detail;                        // the reason of that longest failure
    std::int64_t worst_since_ns = 0;                 // and when it began
  };

  void record(Track& track, std::int64_t t_ns, const ProbeOutcome& outcome);
  void sampled_loop(Track& track);
  void computed_loop();
  // Sleeps until `until` or stop(); false when stopping.
  bool pause_until(std::chrono::steady_clock::time_point until);
  std::int64_t bound_ns(const Track& track) const;

  // Constant after construction.
  const plan::Plan& plan_;
  targets::Target& target_;
  const Monitor& monitor_;
  journal::JournalWriter& journal_;
  const std::filesystem::path dir_;
  const std::uint64_t seed_;
  const std::chrono::milliseconds interval_;
  std::vector<std::unique_ptr<Track>> tracks_;
  const OpWindow& ops_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;

  // Main thread only.
  std::optional<std::int64_t> hold_since_ns_;
  std::atomic<bool> halts_armed_{false};
  std::int64_t armed_ns_ = 0;
};

}  // namespace faultline::runner
