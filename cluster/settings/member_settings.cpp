// systemConfig.cluster.coordinator and .node of mcp_settings.json: MCPHub's
// fields with its defaults, and ours beside them (docs/reference-cluster.md,
// "Settings").
#include "cluster/settings/member_settings.hpp"

#include <unistd.h>

#include <cstdlib>
#include <limits>
#include <random>

namespace faultline::settings {

namespace {


std::string port_default() {
  const char* port = std::getenv("PORT");
  return port != nullptr && *port != '\0' ? port : "3000";
}

std::string host_name() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof buffer - 1) != 0) return "localhost";
  return buffer;
}

std::string random_uuid() {
  std::random_device device;
  std::mt19937_64 rng((static_cast<std::uint64_t>(device()) << 32) ^ device());
  const std::uint64_t a = rng();
  const std::uint64_t b = rng();
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return text;
}

// An IPv4 HOST:PORT; `listen`: port 0 allowed. 0.0.0.0 is always refused.
std::optional<net::Endpoint> address(ObjectReader& r, const std::string& key, bool listen) {
  const auto text = r.string(key);
  if (!text) return std::nullopt;
  std::string why;
  const auto endpoint = net::parse_endpoint(*text, why);
  if (!endpoint) {
    r.fail(r.path_of(key), why);
    return std::nullopt;
  }
  if (endpoint->host == "0.0.0.0") {
    r.fail(r.path_of(key), "expected the member's own address (127.0.0.1, or its address in its network "
                           "namespace); 0.0.0.0 would bind every interface");
    return std::nullopt;
  }
  if (!listen && endpoint->port == 0) {
    r.fail(r.path_of(key), "expected the port the member listens on; port 0 cannot be connected to");
    return std::nullopt;
  }
  return endpoint;
}

net::Endpoint default_listen() {
  std::string why;
  const auto e = net::parse_endpoint("127.0.0.1:" + port_default(), why);
  return e ? *e : net::Endpoint{"127.0.0.1", 3000};
}

std::optional<std::string> url(ObjectReader& r, const std::string& key) {
  auto text = r.string(key);
  if (!text) return std::nullopt;
  if (text->rfind("http://", 0) != 0 || text->size() <= 7) {
    r.fail(r.path_of(key), "expected an http:// URL such as http://127.0.0.1:3000, found " + Json(*text).dump());
    return std::nullopt;
  }
  while (!text->empty() && text->back() == '/') text->pop_back();
  return text;
}

void read_peers(ObjectReader& c, const std::string& file, std::vector<std::string>& errors,
                CoordinatorSettings& s) {
  const Json* peers = c.member("peers");
  if (peers == nullptr) return;
  if (!peers->is_array() || peers->empty()) {
    c.fail(c.path_of("peers"), "expected a non-empty array of {id, name, url, raft}, found " +
                                   (peers->is_array() ? std::string("an empty array") : describe(*peers)));
    return;
  }
  for (std::size_t i = 0; i < peers->size(); ++i) {
    ObjectReader r(&(*peers)[i], c.path_of("peers") + "[" + std::to_string(i) + "]", file, errors);
    if (!r.present()) {
      if ((*peers)[i].is_null()) r.fail(c.path_of("peers") + "[" + std::to_string(i) + "]", "expected an object, found null");
      continue;
    }
    Peer p;
    if (auto v = r.integer("id", 1, std::numeric_limits<std::uint32_t>::max())) p.id = static_cast<std::uint32_t>(*v);
    if (auto v = r.string("name")) p.name = *v;
    if (auto v = url(r, "url")) p.url = *v;
    if (auto v = address(r, "raft", /*listen=*/false)) p.raft = *v;
    for (const char* need : {"id", "name", "url"}) {
      if (!r.has(need)) r.fail(r.path_of(need), "required field is missing");
    }
    r.reject_unknown({"id", "name", "url", "raft"});
    s.peers.push_back(std::move(p));
  }
}

}  // namespace

void read_coordinator(const Json* value, const std::string& path, const std::string& file,
                      std::vector<std::string>& errors, CoordinatorSettings& s) {
  ObjectReader r(value, path, file, errors);
  // MCPHub applies its defaults with `||`: 0 means the default there; here
  // 0 is an error, which says so instead of silently meaning 15000.
  if (auto v = r.integer("nodeTimeout", 1, kMaxMs, "ms")) s.node_timeout_ms = *v;
  if (auto v = r.integer("cleanupInterval", 1, kMaxMs, "ms")) s.cleanup_interval_ms = *v;
  if (auto v = r.integer("stickySessionTimeout", 1, 365 * kMaxMs, "ms")) s.sticky_session_timeout_ms = *v;
  if (auto v = r.choice("failureDetector", {"fixed", "adaptive"})) {
    s.failure_detector = *v == "adaptive" ? FailureDetector::adaptive : FailureDetector::fixed;
  }
  if (auto v = r.number("failureDetectorK", 0, 100)) s.failure_detector_k = *v;
  if (auto v = r.integer("failureDetectorMisses", 1, 100)) s.failure_detector_misses = static_cast<int>(*v);
  if (auto v = r.integer("failureDetectorWindow", 2, 10000)) s.failure_detector_window = static_cast<int>(*v);
  if (auto v = r.integer("failureDetectorMinSamples", 2, 10000)) {
    if (*v > s.failure_detector_window) {
      r.fail(r.path_of("failureDetectorMinSamples"), "expected at most failureDetectorWindow (" +
                                                        std::to_string(s.failure_detector_window) + "), found " +
                                                        std::to_string(*v));
    } else {
      s.failure_detector_min_samples = static_cast<int>(*v);
    }
  } else if (s.failure_detector_min_samples > s.failure_detector_window) {
    s.failure_detector_min_samples = s.failure_detector_window;
  }
  if (auto v = r.integer("id", 1, std::numeric_limits<std::uint32_t>::max())) s.id = static_cast<std::uint32_t>(*v);
  if (auto v = r.string("name")) s.name = *v;
  s.listen = default_listen();
  if (auto v = address(r, "listen", true)) s.listen = *v;
  s.raft_listen = net::Endpoint{s.listen.host, 0};
  if (auto v = address(r, "raftListen", true)) s.raft_listen = *v;
  s.data_dir = std::filesystem::path("data") / s.name;
  if (auto v = r.string("dataDir")) s.data_dir = *v;
  read_peers(r, file, errors, s);
  if (auto v = r.boolean("staleReads")) s.stale_reads = *v;
  if (auto v = r.choice("replication", {"sync", "semi-sync", "async"})) {
    s.replication = *v == "async" ? Replication::async : *v == "semi-sync" ? Replication::semi_sync : Replication::sync;
  }
  if (auto v = r.integer("routedCallTimeout", 1, 60000, "ms")) s.routed_call_timeout_ms = *v;
  if (const Json* allow = r.member("adminAllow")) {
    s.admin_allow.clear();
    if (!allow->is_array()) {
      r.fail(r.path_of("adminAllow"), "expected an array of IPv4 addresses or prefixes, found " + describe(*allow));
    } else {
      for (std::size_t i = 0; i < allow->size(); ++i) {
        if ((*allow)[i].is_string()) {
          s.admin_allow.push_back((*allow)[i].get<std::string>());
        } else {
          r.fail(r.path_of("adminAllow") + "[" + std::to_string(i) + "]",
                 "expected an IPv4 address or prefix such as 127.0.0.0/8, found " + describe((*allow)[i]));
        }
      }
    }
  }
  ObjectReader raft(r.member("raft"), r.path_of("raft"), file, errors);
  if (const Json* range = raft.member("electionTimeout")) {
    if (!range->is_array() || range->size() != 2 || !(*range)[0].is_number_integer() ||
        !(*range)[1].is_number_integer() || (*range)[0].get<std::int64_t>() < 1 ||
        (*range)[0].get<std::int64_t>() > (*range)[1].get<std::int64_t>()) {
      raft.fail(raft.path_of("electionTimeout"), "expected [min, max] in ms with 1 <= min <= max, found " +
                                                    (range->is_array() ? range->dump() : describe(*range)));
    } else {
      s.election_timeout_min_ms = (*range)[0].get<std::int64_t>();
      s.election_timeout_max_ms = (*range)[1].get<std::int64_t>();
    }
  }
  if (auto v = raft.integer("heartbeatInterval", 1, 60000, "ms")) {
    if (*v >= s.election_timeout_min_ms) {
      raft.fail(raft.path_of("heartbeatInterval"), "expected less than the election timeout minimum (" +
                                                       std::to_string(s.election_timeout_min_ms) + " ms), found " +
                                                       std::to_string(*v));
    } else {
      s.heartbeat_ms = *v;
    }
  }
  if (auto v = raft.choice("electionTimer", {"wall", "ticks"})) {
    s.election_timer = *v == "ticks" ? raft::ElectionTimer::ticks : raft::ElectionTimer::wall;
    if (s.election_timer == raft::ElectionTimer::ticks &&
        !raft::ticks_timing_ok(s.election_timeout_min_ms, s.election_timeout_max_ms, s.heartbeat_ms)) {
      raft.fail(raft.path_of("electionTimer"),
                "\"ticks\" draws [min, max) heartbeats: electionTimeout must be whole heartbeats (" +
                    std::to_string(s.heartbeat_ms) + " ms) with max >= min + one heartbeat, found [" +
                    std::to_string(s.election_timeout_min_ms) + ", " + std::to_string(s.election_timeout_max_ms) + "]");
    }
  }
  if (auto v = raft.boolean("campaignWhenLeaderGone")) s.campaign_when_leader_gone = *v;
  // Seeds are 64-bit unsigned (a drill derives its trials' seeds over the
  // whole range), beyond what integer() reads.
  if (const Json* seed = raft.member("seed")) {
    if (seed->is_number_unsigned() || (seed->is_number_integer() && seed->get<std::int64_t>() >= 0)) {
      s.seed = seed->get<std::uint64_t>();
    } else {
      raft.fail(raft.path_of("seed"), "expected an integer in 0..18446744073709551615, found " + describe(*seed));
    }
  }
  raft.reject_unknown({"electionTimeout", "heartbeatInterval", "electionTimer", "campaignWhenLeaderGone", "seed"});
  r.reject_unknown({"nodeTimeout", "cleanupInterval", "stickySessionTimeout", "failureDetector", "failureDetectorK",
                    "failureDetectorMisses", "failureDetectorWindow", "failureDetectorMinSamples", "id", "name", "listen", "raftListen",
                    "dataDir", "peers", "raft", "staleReads", "replication", "routedCallTimeout", "adminAllow"});
}

void read_node(const Json* value, const std::string& path, const std::string& file, std::vector<std::string>& errors,
               bool required, NodeSettings& s) {
  ObjectReader r(value, path, file, errors);
  if (auto v = r.string("id")) s.id = *v;
  if (s.id.empty()) {
    s.id = random_uuid();
    s.id_generated = true;
  }
  s.name = host_name();
  if (auto v = r.string("name")) s.name = *v;
  if (auto v = url(r, "coordinatorUrl")) s.coordinator_url = *v;
  if (required && !r.has("coordinatorUrl")) {
    r.fail(r.path_of("coordinatorUrl"), "required in node mode: the coordinator's URL, such as http://127.0.0.1:3000");
  }
  if (!s.coordinator_url.empty()) s.coordinator_urls.push_back(s.coordinator_url);
  if (const Json* list = r.member("coordinatorUrls")) {
    if (!list->is_array()) {
      r.fail(r.path_of("coordinatorUrls"), "expected an array of http:// URLs, found " + describe(*list));
    } else {
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string item_path = r.path_of("coordinatorUrls") + "[" + std::to_string(i) + "]";
        const Json& item = (*list)[i];
        if (!item.is_string() || item.get<std::string>().rfind("http://", 0) != 0) {
          r.fail(item_path, "expected an http:// URL, found " + describe(item));
          continue;
        }
        std::string text = item.get<std::string>();
        while (!text.empty() && text.back() == '/') text.pop_back();
        bool seen = false;
        for (const auto& u : s.coordinator_urls) seen = seen || u == text;
        if (!seen) s.coordinator_urls.push_back(text);
      }
    }
  }
  if (auto v = r.integer("heartbeatInterval", 1, kMaxMs, "ms")) s.heartbeat_interval_ms = *v;
  if (auto v = r.boolean("registerOnStartup")) s.register_on_startup = *v;
  s.listen = default_listen();
  if (auto v = address(r, "listen", true)) s.listen = *v;
  if (auto v = url(r, "url")) s.url = *v;
  if (auto v = r.integer("weight", 1, 1000)) s.weight = static_cast<int>(*v);
  r.reject_unknown({"id", "name", "coordinatorUrl", "coordinatorUrls", "heartbeatInterval", "registerOnStartup",
                    "listen", "url", "weight"});
}

}  // namespace faultline::settings
