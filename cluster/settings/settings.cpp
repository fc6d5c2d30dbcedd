// systemConfig.cluster of mcp_settings.json: MCPHub's fields with its
// defaults, and ours beside them (docs/reference-cluster.md, "Settings").
#include "cluster/settings/settings.hpp"

#include <fstream>
#include <sstream>

#include "cluster/settings/member_settings.hpp"
#include "cluster/settings/reader.hpp"

namespace faultline::settings {

void read_servers(const Json& document, const std::string& file, std::vector<std::string>& errors,
                  std::vector<ServerConfig>& servers);

namespace {

// A token travels in an Authorization header and a Raft hello: visible
// ASCII only, so that no file's stray newline or space makes two members
// disagree without saying why.
std::optional<std::string> token(ObjectReader& r, const std::string& key) {
  const Json* v = r.member(key);
  if (v == nullptr) return std::nullopt;
  constexpr const char* kExpected =
      "expected a string of 16 to 4096 visible ASCII characters (no spaces), such as the output of "
      "`openssl rand -hex 32`";
  if (!v->is_string()) {
    r.fail(r.path_of(key), std::string(kExpected) + ", found " + describe(*v));
    return std::nullopt;
  }
  const std::string text = v->get<std::string>();
  std::string problem;
  if (text.size() < 16 || text.size() > 4096) problem = std::to_string(text.size()) + " characters";
  for (std::size_t i = 0; problem.empty() && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x21 || c > 0x7e) problem = "a character that is not visible ASCII at offset " + std::to_string(i);
  }
  if (!problem.empty()) {
    r.fail(r.path_of(key), std::string(kExpected) + ", found " + problem);
    return std::nullopt;
  }
  return text;
}

void read_routing(ObjectReader& cluster, const std::string& file, std::vector<std::string>& errors,
                  StickyStrategy sticky, RoutingSettings& s) {
  s.balancing = sticky == StickyStrategy::consistent_hash ? Balancing::consistent_hash : Balancing::round_robin;
  ObjectReader lb(cluster.member("loadBalancing"), cluster.path_of("loadBalancing"), file, errors);
  if (auto v = lb.choice("strategy", {"consistent-hash", "round-robin", "weighted", "least-connections"})) {
    s.balancing = *v == "consistent-hash" ? Balancing::consistent_hash
                  : *v == "round-robin"   ? Balancing::round_robin
                  : *v == "weighted"      ? Balancing::weighted
                                          : Balancing::least_connections;
  }
  lb.reject_unknown({"strategy"});
  ObjectReader cb(cluster.member("circuitBreaker"), cluster.path_of("circuitBreaker"), file, errors);
  if (auto v = cb.integer("errorThresholdPercentage", 1, 100, "%")) s.error_percentage = static_cast<int>(*v);
  if (auto v = cb.integer("rollingWindow", 1, kMaxMs, "ms")) s.window_ms = *v;
  if (auto v = cb.integer("minimumRequests", 1, 1000000)) s.minimum_requests = static_cast<int>(*v);
  if (auto v = cb.integer("halfOpenAfter", 1, kMaxMs, "ms")) s.half_open_after_ms = *v;
  cb.reject_unknown({"errorThresholdPercentage", "rollingWindow", "minimumRequests", "halfOpenAfter"});
  ObjectReader t(cluster.member("timeouts"), cluster.path_of("timeouts"), file, errors);
  if (auto v = t.integer("connect", 1, 600000, "ms")) s.connect_timeout_ms = *v;
  if (auto v = t.integer("read", 1, 600000, "ms")) s.read_timeout_ms = *v;
  t.reject_unknown({"connect", "read"});
}

}  // namespace

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::standalone: return "standalone";
    case Mode::coordinator: return "coordinator";
    case Mode::node: return "node";
  }
  return "standalone";
}

const char* to_string(StickyStrategy strategy) {
  switch (strategy) {
    case StickyStrategy::consistent_hash: return "consistent-hash";
    case StickyStrategy::cookie: return "cookie";
    case StickyStrategy::header: return "header";
  }
  return "consistent-hash";
}

const char* to_string(Balancing balancing) {
  switch (balancing) {
    case Balancing::consistent_hash: return "consistent-hash";
    case Balancing::round_robin: return "round-robin";
    case Balancing::weighted: return "weighted";
    case Balancing::least_connections: return "least-connections";
  }
  return "consistent-hash";
}

const char* to_string(FailureDetector detector) {
  return detector == FailureDetector::adaptive ? "adaptive" : "fixed";
}

const char* to_string(Replication replication) {
  switch (replication) {
    case Replication::sync: return "sync";
    case Replication::semi_sync: return "semi-sync";
    case Replication::async: return "async";
  }
  return "sync";
}

const Peer* CoordinatorSettings::peer(std::uint32_t peer_id) const {
  for (const auto& p : peers) {
    if (p.id == peer_id) return &p;
  }
  return nullptr;
}

std::optional<Settings> parse_settings(const Json& document, const std::string& file,
                                       std::vector<std::string>& errors) {
  const std::size_t before = errors.size();
  Settings s;
  s.file = file;
  if (!document.is_object()) {
    errors.push_back(file + ": $: expected a JSON object (mcp_settings.json), found " + describe(document));
    return std::nullopt;
  }
  read_servers(document, file, errors, s.servers);
  const Json* system = document.contains("systemConfig") ? &document["systemConfig"] : nullptr;
  ObjectReader sys(system, "$.systemConfig", file, errors);
  ObjectReader cluster(sys.member("cluster"), "$.systemConfig.cluster", file, errors);
  if (auto v = cluster.boolean("enabled")) s.enabled = *v;
  std::string mode = "standalone";
  if (auto v = cluster.choice("mode", {"standalone", "coordinator", "node"})) mode = *v;
  s.mode = !s.enabled ? Mode::standalone
           : mode == "coordinator" ? Mode::coordinator
           : mode == "node"        ? Mode::node
                                   : Mode::standalone;
  read_coordinator(cluster.member("coordinator"), cluster.path_of("coordinator"), file, errors, s.coordinator);
  ObjectReader sticky(cluster.member("stickySession"), cluster.path_of("stickySession"), file, errors);
  if (auto v = sticky.boolean("enabled")) s.sticky.enabled = *v;
  if (auto v = sticky.choice("strategy", {"consistent-hash", "cookie", "header"})) {
    s.sticky.strategy = *v == "cookie" ? StickyStrategy::cookie
                        : *v == "header" ? StickyStrategy::header
                                         : StickyStrategy::consistent_hash;
  }
  if (auto v = sticky.string("cookieName")) s.sticky.cookie_name = *v;
  if (auto v = sticky.string("headerName")) s.sticky.header_name = *v;
  sticky.reject_unknown({"enabled", "strategy", "cookieName", "headerName"});
  read_routing(cluster, file, errors, s.sticky.strategy, s.routing);
  read_node(cluster.member("node"), cluster.path_of("node"), file, errors, s.mode == Mode::node, s.node);
  if (auto v = token(cluster, "token")) s.token = *v;
  if (auto v = token(cluster, "adminToken")) s.admin_token = *v;
  cluster.reject_unknown({"enabled", "mode", "token", "adminToken", "coordinator", "stickySession", "node",
                          "loadBalancing", "circuitBreaker", "timeouts"});

  CoordinatorSettings& c = s.coordinator;
  if (s.mode == Mode::coordinator) {
    if (c.peers.empty()) {
      c.peers.push_back(Peer{c.id, c.name, "http://" + c.listen.to_string(), c.raft_listen});
    } else if (c.peer(c.id) == nullptr) {
      errors.push_back(file + ": $.systemConfig.cluster.coordinator.peers: expected this coordinator's id " +
                       std::to_string(c.id) + " among the peers, found none");
    }
    for (std::size_t i = 0; i < c.peers.size(); ++i) {
      if (c.peers[i].id != c.id && c.peers[i].raft.port == 0) {
        errors.push_back(file + ": $.systemConfig.cluster.coordinator.peers[" + std::to_string(i) +
                         "].raft: required for every peer but this coordinator: its Raft HOST:PORT");
      }
    }
  }
  if (errors.size() != before) return std::nullopt;
  return s;
}

std::optional<Settings> load_settings(const std::filesystem::path& file, std::vector<std::string>& errors) {
  std::ifstream in(file);
  if (!in) {
    errors.push_back(file.string() + ": cannot read the settings file (does it exist?)");
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  Json document;
  try {
    document = Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    errors.push_back(file.string() + ": not valid JSON: " + e.what());
    return std::nullopt;
  }
  return parse_settings(document, file.string(), errors);
}

std::string join_errors(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "\n") + e;
  return out;
}

std::optional<Settings> load_for(const std::filesystem::path& file, Mode wanted, std::string& error) {
  std::vector<std::string> errors;
  auto s = load_settings(file, errors);
  if (!s) {
    error = join_errors(errors);
    return std::nullopt;
  }
  if (s->mode != wanted) {
    error = file.string() + ": $.systemConfig.cluster.mode: expected \"" + to_string(wanted) + "\" (with " +
            "\"enabled\": true) to start a " + to_string(wanted) + ", found " +
            (s->enabled ? std::string("\"") + to_string(s->mode) + "\"" : std::string("cluster mode disabled"));
    return std::nullopt;
  }
  return s;
}

}  // namespace faultline::settings
