// What every target does with its members' processes and files: write a
// config, spawn a member, wait until it answers its health check (or report
// how it died, naming its log).
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "chaos/process/process_control.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {

// Writes `config` as indented JSON; false with `error` naming the file.
bool write_config(const std::filesystem::path& file, const Json& config, std::string& error);
bool write_text(const std::filesystem::path& file, const std::string& text, std::string& error);

bool spawn_member(process::ProcessControl& processes, const process::MemberSpec& spec, std::string& error);

// `program` as an absolute path: itself when it holds a '/', else the first
// executable of that name on PATH; empty when there is none.
std::string find_program(const std::string& program);

// The refusal of targets whose members take one peer list for the whole
// cluster: with the proxy backend, peers are reached through a proxy per
// link, which such a list cannot name. Empty when `backend` is not "proxy"
// or the run has no link faults.
std::string refuse_proxied_links(const std::string& kind, const std::string& backend, bool link_faults);

// Polls `healthy` every 20 ms until it holds (true) or the deadline passes,
// the member's process exits or the run is asked to stop
// (process::stop_requested(); false, with `error` saying which and naming
// its log).
bool wait_member(process::ProcessControl& processes, const MemberInfo& member, Deadline deadline,
                 const std::function<bool()>& healthy, const std::string& what, std::string& error);

// wait_member with "GET url answers 200".
bool wait_http_health(process::ProcessControl& processes, const MemberInfo& member,
                      const std::string& url, const std::string& source_address, Deadline deadline,
                      std::string& error);

}  // namespace faultline::targets
