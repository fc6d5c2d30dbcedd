#include "drills/targets/member_process.hpp"

#include <fstream>

#include "chaos/process/wait.hpp"
#include "cluster/http/client.hpp"

namespace faultline::targets {
namespace {
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr long kHealthTimeoutMs = 200;
}  // namespace

bool write_text(const std::filesystem::path& file, const std::string& text, std::string& error) {
  std::ofstream out(file);
  out << text;
  out.flush();
  if (!out) {
    error = "cannot write " + file.string();
    return false;
  }
  return true;
}

bool write_config(const std::filesystem::path& file, const Json& config, std::string& error) {
  return write_text(file, config.dump(2) + "\n", error);
}

bool spawn_member(process::ProcessControl& processes, const process::MemberSpec& spec, std::string& error) {
  const auto result = processes.spawn(spec);
  if (!result.ok()) {
    error = result.error;
    return false;
  }
  return true;
}

bool wait_member(process::ProcessControl& processes, const MemberInfo& member, Deadline deadline,
                 const std::function<bool()>& healthy, const std::string& what, std::string& error) {
  bool exited = false;
  const auto result = process::wait_until(
      [&] {
        if (healthy()) return true;
        exited = !processes.is_running(member.id);
        return exited;
      },
      deadline, kPollInterval);
  if (result == process::WaitResult::met && !exited) return true;
  if (exited) {
    const auto exit = processes.wait_exit(member.id, std::chrono::steady_clock::now());
    error = member.id + " exited during start-up (" +
            (exit.exit ? exit.exit->describe() : std::string("unknown status")) + "); see " +
            member.log_file.string();
  } else if (result == process::WaitResult::stopped) {
    error = "interrupted while waiting for " + member.id + " to answer " + what;
  } else {
    error = member.id + " did not answer " + what + " in time; see " + member.log_file.string();
  }
  return false;
}

bool wait_http_health(process::ProcessControl& processes, const MemberInfo& member,
                      const std::string& url, const std::string& source_address, Deadline deadline,
                      std::string& error) {
  http::Client client;
  client.set_source_address(source_address);
  return wait_member(
      processes, member, deadline,
      [&] {
        const auto response = client.get(url, kHealthTimeoutMs);
        return response.ok() && response.status == 200;
      },
      url, error);
}

}  // namespace faultline::targets
