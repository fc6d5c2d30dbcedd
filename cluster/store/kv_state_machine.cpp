#include "cluster/store/kv_state_machine.hpp"

#include <nlohmann/json.hpp>

namespace faultline::store {

namespace {

using nlohmann::json;

std::string failure(const std::string& why) { return json{{"ok", false}, {"error", why}}.dump(); }

const json* string_field(const json& cmd, const char* key) {
  auto it = cmd.find(key);
  if (it == cmd.end() || !it->is_string()) return nullptr;
  return &*it;
}

}  // namespace

std::string KvStateMachine::apply(const raft::Entry& entry) {
  if (entry.index <= last_applied_) {
    return failure("entry " + std::to_string(entry.index) + " already applied (last applied " +
                   std::to_string(last_applied_) + ")");
  }
  last_applied_ = entry.index;
  if (entry.command.empty()) return json{{"ok", true}}.dump();

  json cmd = json::parse(entry.command, nullptr, /*allow_exceptions=*/false);
  if (cmd.is_discarded() || !cmd.is_object()) return failure("command is not a JSON object");
  const json* op = string_field(cmd, "op");
  const json* key = string_field(cmd, "key");
  if (op == nullptr) return failure("command.op: missing or not a string");
  if (key == nullptr) return failure("command.key: missing or not a string");

  if (*op == "put") {
    const json* value = string_field(cmd, "value");
    if (value == nullptr) return failure("command.value: missing or not a string");
    data_[key->get<std::string>()] = value->get<std::string>();
    return json{{"ok", true}}.dump();
  }
  if (*op == "get") {
    auto it = data_.find(key->get<std::string>());
    if (it == data_.end()) return json{{"ok", true}, {"found", false}}.dump();
    return json{{"ok", true}, {"found", true}, {"value", it->second}}.dump();
  }
  return failure("command.op: unknown op '" + op->get<std::string>() + "'");
}

std::optional<std::string> KvStateMachine::get(const std::string& key) const {
  auto it = data_.find(key);
  if (it == data_.end()) return std::nullopt;
  return it->second;
}

}  // namespace faultline::store
