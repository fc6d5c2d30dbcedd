#include "drills/targets/redis_info.hpp"

#include <sstream>
#include <vector>

namespace faultline::targets {
namespace {

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::optional<std::int64_t> number(const std::string& text) {
  try {
    std::size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used != text.size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string instance_key(const std::string& ip, int port) { return ip + ":" + std::to_string(port); }

std::map<std::string, std::string> parse_info(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    if (colon != std::string::npos) out[line.substr(0, colon)] = line.substr(colon + 1);
  }
  return out;
}

std::optional<Replication> parse_replication(const std::string& info_text) {
  const auto info = parse_info(info_text);
  const auto role = info.find("role");
  if (role == info.end()) return std::nullopt;
  Replication r;
  r.master = role->second == "master";
  auto field = [&](const char* key) {
    const auto it = info.find(key);
    return it == info.end() ? std::string() : it->second;
  };
  if (r.master) {
    r.offset = number(field("master_repl_offset")).value_or(0);
    return r;
  }
  r.master_host = field("master_host");
  r.master_port = static_cast<int>(number(field("master_port")).value_or(0));
  r.link_up = field("master_link_status") == "up";
  r.offset = number(field("slave_repl_offset")).value_or(0);
  return r;
}

std::optional<SentinelReport> parse_sentinel_report(const RespValue& master, const RespValue& address) {
  if (master.type != RespValue::Type::array || address.type != RespValue::Type::array ||
      address.elements.size() != 2) {
    return std::nullopt;
  }
  std::map<std::string, std::string> fields;
  for (std::size_t i = 0; i + 1 < master.elements.size(); i += 2) {
    fields[master.elements[i].text] = master.elements[i + 1].text;
  }
  SentinelReport r;
  const auto port = number(address.elements[1].text);
  if (!port) return std::nullopt;
  r.master = instance_key(address.elements[0].text, static_cast<int>(*port));
  r.config_epoch = static_cast<std::uint64_t>(number(fields["config-epoch"]).value_or(0));
  r.flags = fields["flags"];
  r.replicas = static_cast<int>(number(fields["num-slaves"]).value_or(0));
  r.other_sentinels = static_cast<int>(number(fields["num-other-sentinels"]).value_or(0));
  return r;
}

SentinelEvent parse_sentinel_event(const std::string& event, const std::string& message) {
  SentinelEvent e;
  e.event = event;
  const auto w = words(message);
  if (event == "+new-epoch" && !w.empty()) {
    if (auto v = number(w[0]); v && *v >= 0) e.epoch = static_cast<std::uint64_t>(*v);
    return e;
  }
  if (event == "+switch-master" && w.size() >= 5) {
    // <master name> <old ip> <old port> <new ip> <new port>
    e.from = w[1] + ":" + w[2];
    e.address = w[3] + ":" + w[4];
    e.part = "promote";
    return e;
  }
  // <instance type> <name> <ip> <port> [@ <master name> <master ip> <master port>] ...
  if (w.size() >= 4 && (w[0] == "master" || w[0] == "slave" || w[0] == "sentinel")) {
    e.instance = w[0];
    e.address = w[2] + ":" + w[3];
    if (e.instance == "master" && event == "+sdown") e.part = "detect";
    if (e.instance == "master" && event == "+odown") e.part = "agree";
  }
  return e;
}

}  // namespace faultline::targets
