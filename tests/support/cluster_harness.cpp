#include "tests/support/cluster_harness.hpp"

#include <signal.h>

#include "cluster/http/client.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {

namespace {
constexpr long kRequestTimeoutMs = 3000;
}

ClusterHarness::ClusterHarness(int coordinators, std::uint64_t seed, bool stale_reads,
                               int workers, bool faketime_workers)
    : dir_(scratch_dir("cluster")), network_(network::NetworkOptions{}) {
  targets::EmbeddedOptions options;
  options.coordinators = coordinators;
  options.seed = seed;
  options.stale_reads = stale_reads;
  options.workers = workers;
  options.faketime_workers = faketime_workers;
  options.dir = dir_;
  options.binary = FAULTLINE_BINARY;
  cluster_ = std::make_unique<targets::EmbeddedTarget>(options, supervisor_);
}

ClusterHarness::ClusterHarness(targets::EmbeddedOptions options)
    : dir_(scratch_dir("cluster")), network_(network::NetworkOptions{}) {
  options.dir = dir_;
  options.binary = FAULTLINE_BINARY;
  cluster_ = std::make_unique<targets::EmbeddedTarget>(options, supervisor_);
}

ClusterHarness::~ClusterHarness() {
  cluster_->stop_all();
  supervisor_.shutdown_all();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool ClusterHarness::start() {
  return cluster_->prepare(network_, error_) &&
         cluster_->start_all(std::chrono::steady_clock::now() + std::chrono::seconds(15), error_);
}

std::optional<std::string> ClusterHarness::wait_leader(std::chrono::milliseconds timeout) {
  return cluster_->wait_for_leader(std::chrono::steady_clock::now() + timeout);
}

bool ClusterHarness::kill(const std::string& id) {
  const auto result =
      supervisor_.kill(id, SIGKILL, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  if (!result.ok()) error_ = result.error;
  return result.ok();
}

bool ClusterHarness::pause(const std::string& id) {
  const auto result = supervisor_.pause(id, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  if (!result.ok()) error_ = result.error;
  return result.ok();
}

bool ClusterHarness::resume(const std::string& id) {
  const auto result = supervisor_.resume(id, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  if (!result.ok()) error_ = result.error;
  return result.ok();
}

bool ClusterHarness::wait_workers(std::chrono::milliseconds timeout) {
  return cluster_->wait_ready(std::chrono::steady_clock::now() + timeout, error_);
}

bool ClusterHarness::restart(const std::string& id) {
  return cluster_->restart(id, std::chrono::steady_clock::now() + std::chrono::seconds(15),
                           error_);
}

bool ClusterHarness::wait_converged(std::chrono::milliseconds timeout) {
  return cluster_->wait_converged(std::chrono::steady_clock::now() + timeout);
}

std::string ClusterHarness::other_than(const std::string& id) const {
  for (const auto* m : cluster_->voters()) {
    if (m->id != id) return m->id;
  }
  return {};
}

targets::MemberStatus ClusterHarness::status(const std::string& id) const {
  const auto* member = cluster_->member(id);
  return member ? cluster_->status(*member, kRequestTimeoutMs) : targets::MemberStatus{};
}

HttpResult ClusterHarness::request(const std::string& method, const std::string& id, const std::string& path,
                                   const std::string& body) {
  const std::string& token = path.rfind("/admin", 0) == 0 ? cluster_->admin_token() : cluster_->cluster_token();
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return request_with(method, id, path, body, headers);
}

HttpResult ClusterHarness::request_with(const std::string& method, const std::string& id, const std::string& path,
                                        const std::string& body,
                                        const std::vector<std::pair<std::string, std::string>>& headers) {
  http::Client client;
  const auto* member = cluster_->member(id);
  if (member == nullptr) return {};
  http::RequestOptions options;
  options.timeout_ms = kRequestTimeoutMs;
  options.headers = headers;
  const auto response = client.request(method, member->url + path, body, options);
  return response.ok() ? HttpResult{response.status, response.body} : HttpResult{};
}

HttpResult ClusterHarness::put(const std::string& id, const std::string& key, const std::string& value) {
  return request("PUT", id, "/api/kv/" + key, value);
}

HttpResult ClusterHarness::post(const std::string& id, const std::string& path, const std::string& body) {
  return request("POST", id, path, body);
}

HttpResult ClusterHarness::get(const std::string& id, const std::string& path) { return request("GET", id, path, ""); }

}  // namespace faultline::testing
