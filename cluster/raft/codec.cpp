// JSON codec for Raft messages. nlohmann exceptions stop at this edge.
#include "cluster/raft/codec.hpp"

#include <nlohmann/json.hpp>

namespace faultline::raft {

namespace {

using nlohmann::json;

json entry_to_json(const Entry& e) {
  return json{{"term", e.term}, {"index", e.index}, {"command", e.command}};
}

struct BodyToJson {
  json& out;
  void operator()(const VoteRequest& b) const {
    out["type"] = "vote_request";
    out["last_log_index"] = b.last_log_index;
    out["last_log_term"] = b.last_log_term;
    out["pre_vote"] = b.pre_vote;
  }
  void operator()(const VoteResponse& b) const {
    out["type"] = "vote_response";
    out["granted"] = b.granted;
    out["pre_vote"] = b.pre_vote;
    if (b.lease_left_ms > 0) out["lease_left_ms"] = b.lease_left_ms;
  }
  void operator()(const AppendRequest& b) const {
    out["type"] = "append_request";
    out["prev_index"] = b.prev_index;
    out["prev_term"] = b.prev_term;
    json entries = json::array();
    for (const Entry& e : b.entries) entries.push_back(entry_to_json(e));
    out["entries"] = std::move(entries);
    out["leader_commit"] = b.leader_commit;
    out["read_seq"] = b.read_seq;
  }
  void operator()(const AppendResponse& b) const {
    out["type"] = "append_response";
    out["success"] = b.success;
    out["match_index"] = b.match_index;
    out["conflict_hint"] = b.conflict_hint;
    out["read_seq"] = b.read_seq;
  }
  void operator()(const TimeoutNow&) const { out["type"] = "timeout_now"; }
  void operator()(const InstallSnapshot& b) const {
    out["type"] = "install_snapshot";
    out["last_included_index"] = b.last_included_index;
    out["last_included_term"] = b.last_included_term;
    out["data"] = b.data;
    out["leader_commit"] = b.leader_commit;
  }
};

// Reads fields with their JSON path in every error, so a bad message says where.
struct Reader {
  std::string error;

  const json* field(const json& obj, const std::string& path, const char* key) {
    if (!obj.is_object()) {
      fail(path, "not an object");
      return nullptr;
    }
    auto it = obj.find(key);
    if (it == obj.end()) {
      fail(path + "." + key, "missing");
      return nullptr;
    }
    return &*it;
  }
  std::uint64_t u64(const json& obj, const std::string& path, const char* key) {
    const json* v = field(obj, path, key);
    if (v == nullptr) return 0;
    if (!v->is_number_unsigned()) {
      fail(path + "." + key, "not an unsigned integer");
      return 0;
    }
    return v->get<std::uint64_t>();
  }
  bool boolean(const json& obj, const std::string& path, const char* key) {
    const json* v = field(obj, path, key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) fail(path + "." + key, "not a boolean");
    return v->is_boolean() && v->get<bool>();
  }
  // Fields added after the first release default when absent, so members of
  // mixed versions still understand each other during a rolling upgrade.
  bool optional_boolean(const json& obj, const std::string& path, const char* key) {
    if (obj.is_object() && !obj.contains(key)) return false;
    return boolean(obj, path, key);
  }
  std::uint64_t optional_u64(const json& obj, const std::string& path, const char* key) {
    if (obj.is_object() && !obj.contains(key)) return 0;
    return u64(obj, path, key);
  }
  std::string text(const json& obj, const std::string& path, const char* key) {
    const json* v = field(obj, path, key);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      fail(path + "." + key, "not a string");
      return {};
    }
    return v->get<std::string>();
  }
  void fail(const std::string& path, const std::string& what) {
    if (error.empty()) error = path + ": " + what;
  }
};

std::optional<MessageBody> body_from_json(const json& j, Reader& r) {
  const std::string type = r.text(j, "message", "type");
  if (type == "vote_request") {
    return VoteRequest{r.u64(j, type, "last_log_index"), r.u64(j, type, "last_log_term"),
                       r.optional_boolean(j, type, "pre_vote")};
  }
  if (type == "vote_response") {
    return VoteResponse{r.boolean(j, type, "granted"), r.optional_boolean(j, type, "pre_vote"),
                        r.optional_u64(j, type, "lease_left_ms")};
  }
  if (type == "append_response") {
    return AppendResponse{r.boolean(j, type, "success"), r.u64(j, type, "match_index"),
                          r.u64(j, type, "conflict_hint"), r.optional_u64(j, type, "read_seq")};
  }
  if (type == "timeout_now") return TimeoutNow{};
  if (type == "install_snapshot") {
    return InstallSnapshot{r.u64(j, type, "last_included_index"),
                           r.u64(j, type, "last_included_term"), r.text(j, type, "data"),
                           r.optional_u64(j, type, "leader_commit")};
  }
  if (type == "append_request") {
    AppendRequest b;
    b.prev_index = r.u64(j, type, "prev_index");
    b.prev_term = r.u64(j, type, "prev_term");
    b.leader_commit = r.u64(j, type, "leader_commit");
    b.read_seq = r.optional_u64(j, type, "read_seq");
    const json* entries = r.field(j, type, "entries");
    if (entries != nullptr && !entries->is_array()) r.fail(type + ".entries", "not an array");
    if (entries != nullptr && entries->is_array()) {
      for (std::size_t i = 0; i < entries->size(); ++i) {
        const std::string path = type + ".entries[" + std::to_string(i) + "]";
        const json& e = (*entries)[i];
        b.entries.push_back(Entry{r.u64(e, path, "term"), r.u64(e, path, "index"),
                                  r.text(e, path, "command")});
      }
    }
    return b;
  }
  if (r.error.empty()) r.fail("message.type", "unknown type '" + type + "'");
  return std::nullopt;
}

}  // namespace

std::string encode(const Message& message) {
  json out{{"from", message.from}, {"to", message.to}, {"term", message.term}};
  std::visit(BodyToJson{out}, message.body);
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Message> decode(std::string_view text, std::string* error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  Reader r;
  std::optional<Message> result;
  if (j.is_discarded()) {
    r.fail("message", "not valid JSON");
  } else {
    const std::uint64_t from = r.u64(j, "message", "from");
    const std::uint64_t to = r.u64(j, "message", "to");
    const Term term = r.u64(j, "message", "term");
    if (from > UINT32_MAX || to > UINT32_MAX) r.fail("message.from/to", "out of range");
    auto body = body_from_json(j, r);
    if (r.error.empty() && body) {
      result = Message{static_cast<NodeId>(from), static_cast<NodeId>(to), term, std::move(*body)};
    }
  }
  if (!result && error != nullptr) *error = r.error;
  return result;
}

}  // namespace faultline::raft
