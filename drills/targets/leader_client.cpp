#include "drills/targets/leader_client.hpp"

#include <algorithm>
#include <thread>

namespace faultline::targets {
namespace {
constexpr auto kRetryBackoff = std::chrono::milliseconds(15);
constexpr std::size_t kMaxSaid = 120;

// ": <message>" of a JSON error answer ({"message": ...} or {"error": ...}),
// so the journal says why a member refused.
std::string said(const std::string& body) {
  const Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object()) return "";
  for (const char* key : {"message", "error"}) {
    if (parsed.contains(key) && parsed[key].is_string()) {
      return ": " + parsed[key].get<std::string>().substr(0, kMaxSaid);
    }
  }
  return "";
}
}  // namespace

LeaderClient::LeaderClient(std::vector<std::string> urls, std::vector<std::string> ids,
                           std::size_t start, const std::string& source_address,
                           std::function<std::optional<std::string>(const Json&)> leader_hint)
    : urls_(std::move(urls)), ids_(std::move(ids)), leader_hint_(std::move(leader_hint)),
      believed_leader_(urls_.empty() ? 0 : start % urls_.size()) {
  http_.set_source_address(source_address);
}

HttpAnswer LeaderClient::send(const HttpCall& call, Deadline deadline, std::span<const int> also_retry,
                              std::optional<std::size_t> at) {
  std::size_t spread = at.value_or(0) % std::max<std::size_t>(1, urls_.size());
  std::size_t& member = at ? spread : believed_leader_;
  HttpAnswer outcome{"fail", "", "no member accepted the operation before its deadline", 0, {}};
  // Members that refused the connection during this operation: a hint that
  // names one is stale (the others have not heard of its death yet).
  std::vector<bool> refused(urls_.size(), false);
  bool redirected = false;  // the last move followed a fresh hint at once
  while (true) {
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (remaining <= 0) return outcome;
    std::string url = urls_[member] + call.path;
    if (call.append_timeout) {
      url += (call.path.find('?') == std::string::npos ? "?" : "&") + std::string("timeout_ms=") +
             std::to_string(std::max<long>(1, remaining - 20));
    }
    const auto response = http_.request(call.method, url, call.body, static_cast<long>(remaining));
    outcome.member = ids_[member];
    outcome.status = response.ok() ? response.status : 0;
    if (response.ok() && response.status == 200) {
      outcome.result = "ok";
      outcome.error.clear();
      outcome.body = Json::parse(response.body, nullptr, false);
      return outcome;
    }
    const bool refused_here =
        response.ok() && (call.read_only ||
                          (not_done_ ? not_done_(response.status, response.body)
                                     : response.status == 421 || response.status == 503) ||
                          std::find(also_retry.begin(), also_retry.end(), response.status) != also_retry.end());
    const bool definite = response.transport == http::ClientResponse::Transport::refused || refused_here ||
                          (!response.ok() && !response.maybe_sent);
    outcome.error = response.ok() ? "HTTP " + std::to_string(response.status) + said(response.body) : response.error;
    if (!definite) {
      outcome.result = "unknown";
      member = (member + 1) % urls_.size();
      return outcome;
    }
    if (!response.ok()) refused[member] = true;
    std::size_t next = (member + 1) % urls_.size();
    for (std::size_t tried = 0; refused[next] && tried < urls_.size(); ++tried) next = (next + 1) % urls_.size();
    bool fresh_hint = false;
    if (response.ok() && leader_hint_) {
      if (auto hinted_id = leader_hint_(Json::parse(response.body, nullptr, false))) {
        const auto hinted = std::find(ids_.begin(), ids_.end(), *hinted_id);
        const auto at_hint = static_cast<std::size_t>(hinted - ids_.begin());
        if (hinted != ids_.end() && at_hint != member && !refused[at_hint]) {
          next = at_hint;
          fresh_hint = true;
        }
      }
    }
    member = next;
    // A member that names a live-looking leader is followed at once; the
    // pause is for when nobody knows one (and for two members that name
    // each other, which the second consecutive hint would be).
    redirected = fresh_hint && !redirected;
    if (!redirected) std::this_thread::sleep_for(kRetryBackoff);
  }
}

}  // namespace faultline::targets
