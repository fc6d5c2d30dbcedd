// What the link kinds share (latency, loss, bandwidth, reset, blackhole,
// slow_close, timeout): which directed links a fault covers, the parameters
// that say so, and one Fault class that sets a LinkEffect on those links,
// confirms it with a measurement, and lifts it.
//
// The links of a fault: its `target` members T (a selector), their `peers`
// P (a selector, default every other member), in `direction` out (T -> P),
// in (P -> T) or both; with `clients`, also the links between the run's
// clients and T (the observer is never part of a link).
#pragma once

#include <functional>

#include "chaos/faults/kinds.hpp"

namespace faultline::faults {

// `peers`, `direction`, `clients`: every link kind's parameters.
std::vector<ParamSpec> link_selection_params();

struct LinkSelection {
  std::vector<std::string> targets;  // T, sorted
  std::vector<Link> links;           // sorted
  std::optional<std::uint64_t> term;
};

// Resolves T and P now; nullopt with `error` when T matched nothing.
std::optional<LinkSelection> select_links(FaultEnvironment& env, const FaultRequest& request,
                                          Deadline deadline, std::string& error);

Json links_json(const std::vector<Link>& links);

// The effect a link kind sets on each of its links, from its parameters.
using EffectOf = std::function<LinkEffect(const Json& params)>;
// Checks that the effect took hold on `links` (called after set()); fills in
// `confirmed` and `measured`, or returns why it did not.
using Confirm = std::function<std::optional<std::string>(
    FaultEnvironment& env, const FaultRequest& request, const std::vector<Link>& links,
    std::string& confirmed, Json& measured)>;

// The Fault of every link kind but partition.
std::unique_ptr<Fault> make_link_fault(FaultRequest request, EffectOf effect, Confirm confirm);

// Confirmations the kinds share.
// The round trip on the first link between two members grew by the delay
// configured on both of its directions (within 10 % + 5 ms, and the jitter).
std::optional<std::string> confirm_round_trip(FaultEnvironment& env, const FaultRequest& request,
                                              const std::vector<Link>& links,
                                              std::string& confirmed, Json& measured);
// Connect probes on the member-to-member links: every one of them `outcome`.
std::optional<std::string> confirm_connects(FaultEnvironment& env, const FaultRequest& request,
                                            const std::vector<Link>& links, bool reachable,
                                            std::string& confirmed, Json& measured);
// The rules are in force (the backend read them back): for effects whose
// rate cannot be confirmed by one probe (loss, bandwidth), the measurement
// of their rate comes at the heal, from the backend's counters.
std::optional<std::string> confirm_installed(FaultEnvironment& env, const FaultRequest& request,
                                             const std::vector<Link>& links, std::string& confirmed,
                                             Json& measured);

}  // namespace faultline::faults
