// A fault in force: injected, verified, and healed by the kind that made it.
//
// The runner owns the timeline (when each fault fires and heals) and gives
// every fault a FaultEnvironment: the seams to the system under test. A kind
// never reaches the cluster any other way, which is what lets the same
// kinds act on the embedded cluster, on etcd and on Redis, and lets unit
// tests drive them with fakes.
//
// Contract of every kind:
//  - inject() returns only once the effect is confirmed (a reaped pid, a
//    /proc state, a measured reachability matrix or round trip), or an
//    error: a fault that cannot be confirmed fails the run (exit 3), never
//    passes silently;
//  - heal() undoes exactly what inject() did and confirms it;
//  - a fault that was injected is healed exactly once: by the timeline, or
//    by the registry (registry.hpp) on every way out of a run.
//
// Thread-safety: faults are driven from the runner's main thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "chaos/faults/links.hpp"
#include "chaos/faults/selector.hpp"
#include "chaos/faults/spec.hpp"
#include "chaos/process/process_control.hpp"

namespace faultline::faults {

using Json = nlohmann::json;
using Deadline = std::chrono::steady_clock::time_point;

// One answer of a member's admin endpoint (its failpoints).
struct AdminAnswer {
  long status = 0;     // 0: no answer
  Json body;           // the parsed answer (null when it was not JSON)
  std::string error;   // why there is no usable answer ("not supported by ...")
  // CLOCK_MONOTONIC just before the request and just after its answer: a
  // member's reported time is compared with their midpoint.
  std::int64_t sent_mono_ns = 0;
  std::int64_t answered_mono_ns = 0;
  bool ok() const { return error.empty() && status == 200; }
};

// How a member's clock can be shifted.
struct ClockAccess {
  enum class Way {
    none,       // not at all: `why_not` says why
    failpoint,  // its admin endpoint (PUT /admin/failpoints/clock)
    faketime,   // libfaketime preloaded at its start, driven by a control file
  };
  Way way = Way::none;
  std::filesystem::path faketime_file;  // Way::faketime: the control file
  std::string why_not;
};

// A short helper process run in a member's environment.
struct ProbeOutput {
  std::string output;  // its standard output and error
  std::string error;   // non-empty: it could not run, or failed
  std::int64_t start_mono_ns = 0;  // CLOCK_MONOTONIC around its run
  std::int64_t end_mono_ns = 0;
};

// Where a voter's log stands, as it reports it.
struct LogPosition {
  bool up = false;
  std::uint64_t commit_index = 0;
  std::uint64_t applied_index = 0;
};

class FaultEnvironment {
 public:
  virtual ~FaultEnvironment() = default;

  // Every member (voters and workers) as it reports itself now, asked
  // concurrently and from outside every fault.
  virtual std::vector<MemberView> observe() = 0;
  // The worker most sessions are pinned to, if any call succeeded yet.
  virtual std::optional<std::string> busiest_worker() = 0;
  virtual process::ProcessControl& processes() = 0;
  // Spawns a stopped member again (same config and data) and waits until it
  // answers its health check; false with `error` when it does not in time.
  virtual bool restart(const std::string& id, Deadline deadline, std::string& error) = 0;
  virtual bool is_worker(const std::string& id) const = 0;
  // Ids of the voters (coordinators, etcd members) and of the workers.
  virtual std::vector<std::string> voters() const = 0;
  virtual std::vector<std::string> workers() const = 0;
  // Ids of the members named by id only (Redis sentinels): hosts of their
  // own on the network, outside elections and the key-value path.
  virtual std::vector<std::string> others() const { return {}; }
  // The run's network, or nullptr when the run has none to act on.
  virtual LinkControl* links() = 0;
  // The run's seeded generator for every random choice.
  virtual std::mt19937_64& rng() = 0;
  // The run's clock (journal time) and its journal.
  virtual std::int64_t now_ns() const = 0;
  virtual void record(const std::string& event_kind, Json fields) = 0;

  // A request to member `id`'s admin endpoint, from the observer's address
  // (`body` null: none). An error when its target kind has none.
  virtual AdminAnswer admin(const std::string& id, const std::string& method,
                            const std::string& path, const Json& body) = 0;
  virtual ClockAccess clock_access(const std::string& id) = 0;
  virtual LogPosition log_position(const std::string& id) = 0;
  // Whether `id` is back in the cluster: up and, for a voter, following the
  // leader with everything that leader had committed applied; for a worker,
  // counted live by the leader. `why` says what is missing when it is not.
  virtual bool caught_up(const std::string& id, std::string& why) = 0;
  // After `id`'s process was killed: drops what its storage did not really
  // sync (a power loss). `report` says what was dropped; false with `error`
  // when its target kind cannot.
  virtual bool drop_unsynced(const std::string& id, Json& report, std::string& error) = 0;
  // Runs `argv` in `id`'s environment (its network namespace and the
  // variables it was started with, libfaketime included) until it exits or
  // `timeout` passes.
  virtual ProbeOutput probe(const std::string& id, const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout) = 0;
  // Starts a helper process tied to the run (stress-ng) in `id`'s network
  // namespace, under processes() as `name` (stop it there): it never
  // outlives the run (process group, parent-death signal).
  virtual process::SpawnResult start_helper(const std::string& id, const std::string& name,
                                            const std::vector<std::string>& argv) = 0;
};

// What one plan entry asks for, validated against the kind's spec.
struct FaultRequest {
  std::size_t index = 0;
  const KindSpec* spec = nullptr;
  std::string target;  // the selector as written (or the kind's default)
  Json params = Json::object();
  // When the plan heals it, from its injection (none: at the end, or never).
  // Kinds that bound a helper in time (stress-ng's --timeout) read it.
  std::optional<std::int64_t> heal_after_ms;
};

// What inject() did, for the `fault.inject` event.
struct Injection {
  std::vector<std::string> targets;   // members acted on (sorted)
  std::optional<std::uint64_t> term;  // the chosen voter's term, when one voter was chosen
  Json detail = Json::object();       // kind-specific facts (links, shape, groups)
  std::string applied;                // what was done, in words
  std::string confirmed;              // what was checked, in words
  Json measured;                      // the measurement behind `confirmed`
  std::int64_t signal_t_ns = 0;       // when the action was taken (before it was confirmed)
  // When the effect was in force, if that is earlier than the journaling of
  // the event (0: the event's own time). A partition is in force when its
  // rules are committed; the reachability matrix that confirms it takes a
  // probe timeout longer, and the fault instant must not include that wait.
  std::int64_t effect_t_ns = 0;
  // What this fault does, when it differs from its kind's declared effect
  // (a disk that fails takes its member down; a slow one only degrades it).
  std::optional<Effect> effect;
};

struct Healing {
  std::string applied;
  std::string confirmed;
  Json measured;
};

class Fault {
 public:
  explicit Fault(FaultRequest request) : request_(std::move(request)) {}
  virtual ~Fault() = default;
  Fault(const Fault&) = delete;
  Fault& operator=(const Fault&) = delete;

  const FaultRequest& request() const { return request_; }
  const KindSpec& spec() const { return *request_.spec; }

  // Returns the error, or nullopt with `out` filled in.
  virtual std::optional<std::string> inject(FaultEnvironment& env, Injection& out) = 0;
  // Called after `fault.inject` is journaled, for events that follow it
  // (a kill's member.exit).
  virtual void after_inject(FaultEnvironment& /*env*/) {}
  // Called on every pass of the run's timeline (every few ms) while the
  // fault is in force, for kinds that act over time (a crash loop, a
  // rolling restart); they journal what they do as `fault.step`. An error
  // stops the run as an inject error does.
  virtual std::optional<std::string> step(FaultEnvironment& /*env*/) { return std::nullopt; }
  virtual std::optional<std::string> heal(FaultEnvironment& env, Healing& out) = 0;

 protected:
  FaultRequest request_;
};

// How a kind makes its faults; each kind's file defines one.
struct KindDef {
  KindSpec spec;
  std::unique_ptr<Fault> (*make)(FaultRequest request);
};

// Resolves a selector against the members now, retrying every 10 ms until
// something matches or `deadline` passes (an election in progress has no
// leader for a moment). Empty ids at the deadline.
Selection resolve_members(FaultEnvironment& env, const std::string& selector, Deadline deadline);

// "fault 2 (kill): " — the prefix of every error a fault returns.
std::string fault_label(const FaultRequest& request);

}  // namespace faultline::faults
