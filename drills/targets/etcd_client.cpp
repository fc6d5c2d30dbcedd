// etcd's client protocol through its HTTP JSON gateway: puts and
// linearizable ranges by the LeaderClient rule, and the read-back as
// linearizable ranges over the whole key space, a page at a time.
#include <set>
#include <thread>

#include "cluster/http/client.hpp"
#include "drills/targets/etcd.hpp"
#include "drills/targets/leader_client.hpp"
#include "drills/targets/wire.hpp"

namespace faultline::targets {
namespace {

constexpr std::size_t kPage = 1000;
constexpr long kReadBackRequestMs = 3000;

// An etcd error answer that certainly did nothing (etcd_not_done_errors).
bool etcd_not_done(long /*status*/, const std::string& body) {
  const Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object()) return false;
  const std::string text = parsed.value("error", "") + " " + parsed.value("message", "");
  for (const std::string& e : etcd_not_done_errors()) {
    if (text.find(e) != std::string::npos) return true;
  }
  return false;
}

OpAttempt to_attempt(const HttpAnswer& answer) {
  OpAttempt out;
  out.result = answer.result;
  out.member = answer.member;
  out.error = answer.error;
  return out;
}

// The value of the first kv of a range answer; null when the key is absent.
Json first_value(const Json& body) {
  if (!body.is_object() || !body.contains("kvs") || !body["kvs"].is_array() || body["kvs"].empty()) return nullptr;
  const Json& kv = body["kvs"][0];
  const auto decoded = base64_decode(kv.value("value", ""));
  return decoded ? Json(*decoded) : Json(nullptr);
}

class EtcdClient final : public KvClient {
 public:
  EtcdClient(std::vector<std::string> urls, std::vector<std::string> ids, std::size_t start, const std::string& source)
      : leader_(std::move(urls), std::move(ids), start, source, nullptr) {
    leader_.set_not_done(etcd_not_done);
  }

  OpAttempt put(const std::string& key, const std::string& value, Deadline deadline) override {
    const Json body{{"key", base64_encode(key)}, {"value", base64_encode(value)}};
    return to_attempt(leader_.send({"POST", "/v3/kv/put", body.dump(), false, false}, deadline));
  }

  OpAttempt get(const std::string& key, Deadline deadline, std::optional<std::size_t> anywhere) override {
    // A range is linearizable unless it asks to be serializable.
    const Json body{{"key", base64_encode(key)}};
    const HttpAnswer answer = leader_.send({"POST", "/v3/kv/range", body.dump(), false, true}, deadline, {}, anywhere);
    OpAttempt out = to_attempt(answer);
    if (answer.result == "ok") out.value = first_value(answer.body);
    return out;
  }

  OpAttempt call(const std::string&, const std::string&, Deadline) override {
    OpAttempt out;
    out.error = "etcd has no routed calls";
    return out;
  }

 private:
  LeaderClient leader_;
};

}  // namespace

std::unique_ptr<KvClient> EtcdTarget::make_client(std::size_t index, const std::string& source_address) {
  return std::make_unique<EtcdClient>(client_urls_, voter_ids(), index, source_address);
}

std::vector<ReadBackValue> EtcdTarget::read_back(const std::vector<std::string>& keys, Deadline deadline,
                                                 std::string& error) {
  http::Client client;
  client.set_source_address(observer_address());
  const std::set<std::string> wanted(keys.begin(), keys.end());
  std::map<std::string, std::pair<Json, std::string>> found;  // key -> value, member
  // Every key from "\0" on: the whole key space, a page at a time.
  std::string from(1, '\0');
  bool done = wanted.empty();
  std::size_t at = 0;  // the member asked
  std::string last = "no member answered";
  while (!done && std::chrono::steady_clock::now() < deadline) {
    const MemberInfo& m = members_[at % members_.size()];
    const Json request{{"key", base64_encode(from)},
                       {"range_end", base64_encode(std::string(1, '\0'))},
                       {"limit", kPage}};  // etcd answers in key order
    const auto response = client.request("POST", m.url + "/v3/kv/range", request.dump(), kReadBackRequestMs);
    const Json body = response.ok() && response.status == 200 ? Json::parse(response.body, nullptr, false) : Json();
    if (!body.is_object()) {
      last = m.id + ": " + (response.ok() ? "HTTP " + std::to_string(response.status) : response.error);
      ++at;  // a member in a minority, stopped, or slow: ask the next one
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    const Json kvs = body.value("kvs", Json::array());
    std::string last_key;
    for (const Json& kv : kvs) {
      const auto key = base64_decode(kv.value("key", ""));
      const auto value = base64_decode(kv.value("value", ""));
      if (!key) continue;
      last_key = *key;
      if (wanted.count(*key)) found[*key] = {value ? Json(*value) : Json(nullptr), m.id};
    }
    done = !body.value("more", false) || kvs.empty();
    from = last_key + std::string(1, '\0');
  }
  std::vector<ReadBackValue> out;
  if (!done) {
    error = "the key space could not be read through before the deadline (last: " + last + ")";
    return out;
  }
  const std::string reader = found.empty() ? members_.front().id : found.begin()->second.second;
  for (const std::string& key : keys) {
    const auto it = found.find(key);
    if (it == found.end()) {
      out.push_back({key, false, Json(nullptr), reader});
    } else {
      out.push_back({key, true, it->second.first, it->second.second});
    }
  }
  return out;
}

}  // namespace faultline::targets
