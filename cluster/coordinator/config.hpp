// Configuration of one reference-cluster coordinator, read from a JSON file:
//
//   {"id": 1, "name": "c1", "listen": "127.0.0.1:7001", "data_dir": "/run/c1",
//    "members": [{"id": 1, "name": "c1", "url": "http://127.0.0.1:7001"}, ...],
//    "election_timeout_ms": [300, 600], "heartbeat_ms": 50, "seed": 7,
//    "stale_reads": false, "worker_timeout_ms": 500}
//
// `members` lists every coordinator of the group, this one included.
// `stale_reads` (default false) is an unsafe mode kept for drills: GET
// /api/kv/KEY is answered by any member from its own applied state, without
// a barrier through the log, so reads may be stale (not linearizable).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace faultline::coordinator {

struct Member {
  std::uint32_t id = 0;
  std::string name;
  std::string url;  // base URL, e.g. http://127.0.0.1:7001
};

struct Config {
  std::uint32_t id = 0;
  std::string name;
  std::string host = "127.0.0.1";
  int port = 0;
  std::filesystem::path data_dir;
  std::vector<Member> members;
  std::int64_t election_timeout_min_ms = 300;
  std::int64_t election_timeout_max_ms = 600;
  std::int64_t heartbeat_ms = 50;
  std::uint64_t seed = 1;
  bool stale_reads = false;
  // Routed calls: a worker is dead once its heartbeats stop for this long,
  // and a call to a worker fails after it (see routing.cpp).
  std::int64_t worker_timeout_ms = 500;

  const Member* member(std::uint32_t member_id) const;
};

// Reads and checks a config file. On failure returns nullopt and sets `error`
// to a message naming the file and the field.
std::optional<Config> load_config(const std::filesystem::path& file, std::string& error);

}  // namespace faultline::coordinator
