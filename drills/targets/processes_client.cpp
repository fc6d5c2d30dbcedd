// The declared processes' client protocol: the plan's write and read
// requests, rendered with the operation's key and value and sent by the
// LeaderClient rule with the plan's `not_done` rules; the read-back is the
// read request, key by key, from the observer's address.
#include <thread>

#include "drills/targets/processes.hpp"
#include "drills/targets/wire.hpp"

namespace faultline::targets {
namespace {

constexpr auto kReadBackAttempt = std::chrono::milliseconds(2000);

Json render_body(const Json& body, const plan::TemplateLookup& lookup, std::string& error, bool& ok) {
  if (body.is_string()) {
    auto text = plan::render(body.get<std::string>(), lookup, error);
    ok = ok && text.has_value();
    return text ? Json(*text) : Json();
  }
  Json out = body;
  if (body.is_object()) {
    for (auto& [key, value] : out.items()) value = render_body(value, lookup, error, ok);
  } else if (body.is_array()) {
    for (auto& value : out) value = render_body(value, lookup, error, ok);
  }
  return out;
}

plan::TemplateLookup key_lookup(const std::string& key, const std::string* value) {
  return [key, value](const std::string& name, const std::string&) -> std::optional<std::string> {
    if (name == "key") return key;
    if (name == "key_base64") return base64_encode(key);
    if (value != nullptr && name == "value") return *value;
    if (value != nullptr && name == "value_base64") return base64_encode(*value);
    return std::nullopt;
  };
}

OpAttempt to_attempt(const HttpAnswer& answer) {
  OpAttempt out;
  out.result = answer.result;
  out.member = answer.member;
  out.error = answer.error;
  return out;
}

class ProcessesClient final : public KvClient {
 public:
  ProcessesClient(const plan::ProcessesTopology& topology, std::vector<std::string> urls, std::vector<std::string> ids,
                  std::size_t start, const std::string& source)
      : topology_(topology), leader_(std::move(urls), std::move(ids), start, source, nullptr) {
    leader_.set_not_done(not_done_rule(topology.not_done));
  }

  OpAttempt put(const std::string& key, const std::string& value, Deadline deadline) override {
    HttpCall call;
    OpAttempt out;
    if (!render_request(topology_.write, key_lookup(key, &value), call, out.error)) return out;
    return to_attempt(leader_.send(call, deadline));
  }

  OpAttempt get(const std::string& key, Deadline deadline, std::optional<std::size_t> anywhere) override {
    HttpCall call;
    OpAttempt out;
    if (!render_request(topology_.read, key_lookup(key, nullptr), call, out.error)) return out;
    call.read_only = true;
    const HttpAnswer answer = leader_.send(call, deadline, {}, anywhere);
    out = to_attempt(answer);
    if (answer.result != "ok") return out;
    const Json* at = plan::find_at(answer.body, topology_.read.value);
    if (at == nullptr || at->is_null()) return out;  // no such key
    const auto text = scalar_text(*at);
    const auto decoded = text && topology_.read.encoding == "base64" ? base64_decode(*text) : text;
    if (!decoded) {
      out.result = "fail";
      out.error = "the read answer's value is not " + topology_.read.encoding + ": " + at->dump().substr(0, 80);
      return out;
    }
    out.value = *decoded;
    return out;
  }

  OpAttempt call(const std::string&, const std::string&, Deadline) override {
    OpAttempt out;
    out.error = "declared processes have no routed calls";
    return out;
  }

 private:
  const plan::ProcessesTopology& topology_;
  LeaderClient leader_;
};

}  // namespace

bool render_request(const plan::ProcessRequest& request, const plan::TemplateLookup& lookup, HttpCall& out,
                    std::string& error) {
  const auto path = plan::render(request.path, lookup, error);
  if (!path) return false;
  bool ok = true;
  const Json body = request.body.is_null() ? Json() : render_body(request.body, lookup, error, ok);
  if (!ok) return false;
  out.method = request.method;
  out.path = *path;
  out.body = body.is_null() ? "" : body.is_string() ? body.get<std::string>() : body.dump();
  return true;
}

NotDone not_done_rule(const std::vector<plan::NotDoneRule>& rules) {
  return [rules](long status, const std::string& body) {
    for (const plan::NotDoneRule& r : rules) {
      if (r.status && *r.status != status) continue;
      if (!r.contains.empty() && body.find(r.contains) == std::string::npos) continue;
      return true;
    }
    return false;
  };
}

std::unique_ptr<KvClient> ProcessesTarget::make_client(std::size_t index, const std::string& source_address) {
  return std::make_unique<ProcessesClient>(options_.topology, client_urls_, voter_ids(), index, source_address);
}

std::vector<ReadBackValue> ProcessesTarget::read_back(const std::vector<std::string>& keys, Deadline deadline,
                                                      std::string& error) {
  std::vector<std::string> urls;
  for (const MemberInfo& m : members_) urls.push_back(m.url);
  std::size_t start = 0;
  if (reports().roles) {
    if (const auto leader = wait_for_leader(deadline)) {
      const auto ids = voter_ids();
      start = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), *leader) - ids.begin()) % ids.size();
    }
  }
  ProcessesClient reader(options_.topology, urls, voter_ids(), start, observer_address());
  std::vector<ReadBackValue> out;
  for (const std::string& key : keys) {
    while (std::chrono::steady_clock::now() < deadline) {
      const OpAttempt got = reader.get(key, std::min(deadline, std::chrono::steady_clock::now() + kReadBackAttempt), std::nullopt);
      if (got.result == "ok") {
        out.push_back({key, got.value.is_string(), got.value, got.member});
        break;
      }
    }
    if (out.empty() || out.back().key != key) break;
  }
  if (out.size() < keys.size()) {
    error = std::to_string(keys.size() - out.size()) + " of " + std::to_string(keys.size()) +
            " acknowledged keys could not be read before the deadline";
  }
  return out;
}

}  // namespace faultline::targets
