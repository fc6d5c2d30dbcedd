// The runner's side of the fault seam: what a fault kind may do to the run
// (chaos/faults/fault.hpp), carried out on the run's target, processes,
// network and journal.
//
// Thread-safety: the runner's main thread (faults are driven from it).
#pragma once

#include <functional>
#include <random>

#include "chaos/faults/fault.hpp"
#include "chaos/network/network.hpp"
#include "drills/journal/journal.hpp"
#include "drills/targets/target.hpp"

namespace faultline::runner {

class RunEnvironment final : public faults::FaultEnvironment {
 public:
  RunEnvironment(targets::Target& target, process::ProcessControl& processes,
                 network::Network& network, journal::JournalWriter& journal, std::uint64_t seed,
                 std::function<std::optional<std::string>()> busiest_worker);

  std::vector<faults::MemberView> observe() override;
  std::optional<std::string> busiest_worker() override { return busiest_worker_ ? busiest_worker_() : std::nullopt; }
  process::ProcessControl& processes() override { return processes_; }
  bool restart(const std::string& id, faults::Deadline deadline, std::string& error) override;
  bool is_worker(const std::string& id) const override;
  std::vector<std::string> voters() const override;
  std::vector<std::string> workers() const override;
  std::vector<std::string> others() const override;
  faults::LinkControl* links() override { return network_.links(); }
  std::mt19937_64& rng() override { return rng_; }
  std::int64_t now_ns() const override { return journal_.now_ns(); }
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

 private:
  targets::Target& target_;
  process::ProcessControl& processes_;
  network::Network& network_;
  journal::JournalWriter& journal_;
  std::mt19937_64 rng_;
  std::function<std::optional<std::string>()> busiest_worker_;
  int probes_ = 0;  // probes run so far, for their names
};

}  // namespace faultline::runner
