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
  if (*op == "del") {
    const bool found = data_.erase(key->get<std::string>()) > 0;
    return json{{"ok", true}, {"found", found}}.dump();
  }
  if (*op == "get") {
    auto it = data_.find(key->get<std::string>());
    if (it == data_.end()) return json{{"ok", true}, {"found", false}}.dump();
    return json{{"ok", true}, {"found", true}, {"value", it->second}}.dump();
  }
  return failure("command.op: unknown op '" + op->get<std::string>() + "'");
}

std::string KvStateMachine::snapshot() const {
  json data = json::object();
  for (const auto& [key, value] : data_) data[key] = value;
  return json{{"last_applied", last_applied_}, {"data", std::move(data)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::string> KvStateMachine::restore(const std::string& snapshot_text) {
  json j = json::parse(snapshot_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return "snapshot is not a JSON object";
  auto applied = j.find("last_applied");
  if (applied == j.end() || !applied->is_number_unsigned()) {
    return "snapshot.last_applied: missing or not an unsigned integer";
  }
  auto data = j.find("data");
  if (data == j.end() || !data->is_object()) return "snapshot.data: missing or not an object";
  std::map<std::string, std::string> restored;
  for (auto it = data->begin(); it != data->end(); ++it) {
    if (!it.value().is_string()) return "snapshot.data." + it.key() + ": not a string";
    restored[it.key()] = it.value().get<std::string>();
  }
  data_ = std::move(restored);
  last_applied_ = applied->get<raft::Index>();
  return std::nullopt;
}

std::optional<std::string> KvStateMachine::get(const std::string& key) const {
  auto it = data_.find(key);
  if (it == data_.end()) return std::nullopt;
  return it->second;
}

}  // namespace faultline::store
