// What Redis and Redis Sentinel say, read into values: the `INFO
// replication` section of a server, a sentinel's `SENTINEL MASTER` reply,
// and the events a sentinel publishes (`+sdown master mymaster 10.77.0.11
// 7001`). Pure functions, so every rule is tested without a server.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "drills/targets/resp_connection.hpp"

namespace faultline::targets {

// "ip:port", the way Redis names an instance.
std::string instance_key(const std::string& ip, int port);

// `INFO` text ("# Replication\r\nrole:master\r\n...") as key -> value.
std::map<std::string, std::string> parse_info(const std::string& text);

struct Replication {
  bool master = false;      // role:master (else a replica)
  std::string master_host;  // replicas: whom they replicate
  int master_port = 0;
  bool link_up = false;     // replicas: master_link_status:up
  std::int64_t offset = 0;  // master_repl_offset (master) or slave_repl_offset (replica)
};
std::optional<Replication> parse_replication(const std::string& info_text);

// A sentinel's answer about the monitored primary: `SENTINEL MASTER name`
// (a flat array of field names and values) with, from the same pipeline,
// `SENTINEL GET-MASTER-ADDR-BY-NAME name` — the address clients are given,
// which is the promoted replica's as soon as the sentinel has promoted it.
struct SentinelReport {
  std::uint64_t config_epoch = 0;
  std::string master;  // "ip:port" clients are given
  std::string flags;   // "master", "s_down,master", "o_down,master", ...
  int replicas = 0;    // num-slaves
  int other_sentinels = 0;
};
std::optional<SentinelReport> parse_sentinel_report(const RespValue& master, const RespValue& address);

// One event a sentinel published on channel `event` ("+sdown") with text
// `message`.
struct SentinelEvent {
  std::string event;
  std::string instance;  // "master", "slave", "sentinel"; empty for +new-epoch, +switch-master
  std::string address;   // "ip:port" of the instance it is about (+switch-master: the new primary)
  std::string from;      // +switch-master: the old primary's "ip:port"
  std::optional<std::uint64_t> epoch;  // +new-epoch
  // The RTO part it marks (docs/metrics.md): "detect" (+sdown of the
  // primary: a sentinel sees it down), "agree" (+odown: a quorum does),
  // "promote" (+switch-master: the sentinels name the new primary); empty
  // for the rest.
  std::string part;
};
SentinelEvent parse_sentinel_event(const std::string& event, const std::string& message);

}  // namespace faultline::targets
