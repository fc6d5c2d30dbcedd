// Samples every member's own report (GET /api/raft/status) on a background
// thread and journals a `member` event whenever what a member reports changes
// (up, role, term, leader) and at least every `heartbeat` otherwise.
//
// Thread-safety: start() and stop() from one thread; the samples live on the
// monitor thread alone.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "drills/journal/journal.hpp"
#include "drills/runner/embedded_cluster.hpp"

namespace faultline::runner {

class Monitor {
 public:
  Monitor(std::vector<MemberInfo> members, journal::JournalWriter& journal,
          std::chrono::milliseconds interval);
  ~Monitor();  // stops and joins
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  void start();
  void stop();

 private:
  void loop();
  void sample(const MemberInfo& member);

  // Constant after construction.
  const std::vector<MemberInfo> members_;
  journal::JournalWriter& journal_;
  const std::chrono::milliseconds interval_;

  // Monitor thread only.
  std::map<std::string, MemberStatus> latest_;
  std::map<std::string, std::int64_t> last_logged_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace faultline::runner
