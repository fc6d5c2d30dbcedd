// A real reference cluster on loopback for tests: N `faultline coordinator`
// processes under a Supervisor, with the operations tests are written in —
// start, leader, kill, restart, put, get — each bounded by a deadline.
//
// Must be used from the test's main thread (members are spawned from it).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "chaos/process/supervisor.hpp"
#include "chaos/network/loopback.hpp"
#include "drills/targets/embedded.hpp"

namespace faultline::testing {

struct HttpResult {
  long status = 0;  // 0 when the request did not get an answer
  std::string body;
};

class ClusterHarness {
 public:
  // stale_reads: the reference cluster's unsafe mode (docs/reference-cluster.md).
  // workers: worker nodes w1..wN started after the coordinators.
  // faketime_workers: workers start under libfaketime (drills/targets/faketime.hpp).
  explicit ClusterHarness(int coordinators, std::uint64_t seed = 7, bool stale_reads = false,
                          int workers = 0, bool faketime_workers = false);
  // Any embedded cluster; the harness sets its folder and binary.
  explicit ClusterHarness(targets::EmbeddedOptions options);
  ~ClusterHarness();  // stops every member and removes the folder

  // Starts every member; false (with the reason in error()) if one fails.
  bool start();
  std::optional<std::string> wait_leader(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  bool kill(const std::string& id);
  bool pause(const std::string& id);
  bool resume(const std::string& id);
  // Waits until the coordinators' leader counts every worker as live.
  bool wait_workers(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  bool restart(const std::string& id);
  bool wait_converged(std::chrono::milliseconds timeout = std::chrono::seconds(15));

  targets::MemberStatus status(const std::string& id) const;
  HttpResult put(const std::string& id, const std::string& key, const std::string& value);
  HttpResult get(const std::string& id, const std::string& path);
  HttpResult post(const std::string& id, const std::string& path, const std::string& body);
  // One request to member `id` (no answer: status 0), with the cluster's
  // admin token on /admin/... paths and its cluster token on the others.
  HttpResult request(const std::string& method, const std::string& id, const std::string& path,
                     const std::string& body);
  // The same with exactly `headers` (to send no token, or a wrong one).
  HttpResult request_with(const std::string& method, const std::string& id, const std::string& path,
                          const std::string& body, const std::vector<std::pair<std::string, std::string>>& headers);

  // Any other member than `id`.
  std::string other_than(const std::string& id) const;

  // The coordinators (not the workers), in id order.
  std::vector<const targets::MemberInfo*> coordinators() const { return cluster_->voters(); }
  targets::EmbeddedTarget& cluster() const { return *cluster_; }
  // The seams a drill's fault environment is made of (drills/runner/run_environment.hpp).
  process::Supervisor& supervisor() { return supervisor_; }
  network::LoopbackNetwork& network() { return network_; }
  const targets::MemberInfo* member(const std::string& id) const { return cluster_->member(id); }
  const std::string& error() const { return error_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  process::Supervisor supervisor_;
  network::LoopbackNetwork network_;
  std::unique_ptr<targets::EmbeddedTarget> cluster_;
  std::string error_;
};

}  // namespace faultline::testing
