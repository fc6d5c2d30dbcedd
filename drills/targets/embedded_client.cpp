// The embedded cluster's client protocol: key-value operations on the
// coordinators' HTTP API and routed calls of sticky sessions, both by the
// LeaderClient rule, and the read-back through the leader's batch read.
#include "chaos/process/wait.hpp"
#include "drills/targets/embedded.hpp"
#include "drills/targets/leader_client.hpp"

namespace faultline::targets {
namespace {

constexpr std::size_t kReadBackBatch = 500;
constexpr long kReadBackRequestMs = 3000;

std::optional<std::string> leader_named(const Json& body) {
  if (body.is_object() && body.contains("leader") && body["leader"].is_string()) {
    return body["leader"].get<std::string>();
  }
  return std::nullopt;
}

OpAttempt to_attempt(const HttpAnswer& answer) {
  OpAttempt out;
  out.result = answer.result;
  out.member = answer.member;
  out.error = answer.error;
  return out;
}

class EmbeddedClient final : public KvClient {
 public:
  EmbeddedClient(std::vector<std::string> urls, std::vector<std::string> ids, std::size_t start,
                 const std::string& source)
      : leader_(std::move(urls), std::move(ids), start, source, leader_named) {}

  OpAttempt put(const std::string& key, const std::string& value, Deadline deadline) override {
    return to_attempt(leader_.send({"PUT", "/api/kv/" + key, value, true}, deadline));
  }

  OpAttempt get(const std::string& key, Deadline deadline, std::optional<std::size_t> anywhere) override {
    const HttpAnswer answer = leader_.send({"GET", "/api/kv/" + key, "", true}, deadline, {}, anywhere);
    OpAttempt out = to_attempt(answer);
    out.value = answer.result == "ok" && answer.body.is_object() ? answer.body.value("value", Json(nullptr))
                                                                 : Json(nullptr);
    return out;
  }

  OpAttempt call(const std::string& session, const std::string& call_id, Deadline deadline) override {
    // 504: the new pin was not committed in time, and 502: the newly chosen
    // worker failed the call; the router gives up on the call in both, so a
    // retry routes it again.
    static constexpr int kRoutedRetry[] = {502, 504};
    const std::string body = Json{{"session", session}, {"call", call_id}}.dump();
    const HttpAnswer answer = leader_.send({"POST", "/api/calls", body, true}, deadline, kRoutedRetry);
    OpAttempt out = to_attempt(answer);
    if (answer.result == "ok" && answer.body.is_object()) {
      out.worker = answer.body.value("worker", "");
      out.moved_from = answer.body.value("moved_from", Json(nullptr));
      out.cause = answer.body.value("cause", Json(nullptr));
    }
    return out;
  }

 private:
  LeaderClient leader_;
};

}  // namespace

std::unique_ptr<KvClient> make_mcp_client(std::unique_ptr<KvClient> kv, std::vector<std::string> urls,
                                          std::vector<std::string> ids, std::size_t start, const std::string& source);

std::unique_ptr<KvClient> EmbeddedTarget::make_client(std::size_t index, const std::string& source_address) {
  auto kv = std::make_unique<EmbeddedClient>(client_urls_, voter_ids(), index, source_address);
  if (!options_.mcp_calls) return kv;
  return make_mcp_client(std::move(kv), client_urls_, voter_ids(), index, source_address);
}

std::vector<ReadBackValue> EmbeddedTarget::read_back(const std::vector<std::string>& keys,
                                                     Deadline deadline, std::string& error) {
  http::Client client;
  client.set_source_address(observer_address());
  std::vector<ReadBackValue> out;
  std::size_t done = 0;
  while (done < keys.size() && std::chrono::steady_clock::now() < deadline) {
    const auto leader = wait_for_leader(deadline);
    if (!leader) break;
    const MemberInfo* m = member(*leader);
    const std::size_t end = std::min(keys.size(), done + kReadBackBatch);
    const Json request{{"keys", Json(std::vector<std::string>(keys.begin() + static_cast<long>(done),
                                                              keys.begin() + static_cast<long>(end)))}};
    const auto response = client.request("POST", m->url + "/api/kv-read?timeout_ms=2000", request.dump(),
                                         kReadBackRequestMs);
    const Json body = response.ok() && response.status == 200 ? Json::parse(response.body, nullptr, false) : Json();
    if (!body.is_object() || !body.contains("values") || !body["values"].is_object()) {
      // Leadership moved or the read timed out: ask again, unless the run is stopping.
      if (!process::sleep_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(50))) break;
      continue;
    }
    for (std::size_t i = done; i < end; ++i) {
      const Json& value = body["values"].contains(keys[i]) ? body["values"][keys[i]] : Json();
      out.push_back({keys[i], value.is_string(), value, *leader});
    }
    done = end;
  }
  if (done < keys.size() && process::stop_requested()) {
    error = "interrupted with " + std::to_string(keys.size() - done) + " of " + std::to_string(keys.size()) +
            " acknowledged keys not read back";
  } else if (done < keys.size()) {
    error = std::to_string(keys.size() - done) + " of " + std::to_string(keys.size()) +
            " acknowledged keys could not be read before the deadline";
  }
  return out;
}

}  // namespace faultline::targets
