// The observer: samples every voter's own report on a thread of its own per
// member, so that a member that stops answering (paused, cut off) costs its
// own sampler a timeout and nobody else's samples, and journals a `member`
// event whenever what a member reports changes (up, role, term, leader) and
// at least every 500 ms otherwise. It asks from the observer's address,
// which no fault touches. What the system reports about itself (Redis
// Sentinel's events) is journaled as `target.event` while it runs.
//
// Thread-safety: start/stop from one thread; leader() and latest() from any
// thread.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "drills/journal/journal.hpp"
#include "drills/targets/target.hpp"

namespace faultline::runner {

class Monitor {
 public:
  Monitor(targets::Target& target, journal::JournalWriter& journal, std::chrono::milliseconds interval);
  ~Monitor();  // stops and joins
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  void start();
  void stop();

  // The member that, in the latest samples, reports itself leader in the
  // highest term; nullopt while none does (an election, every member down).
  std::optional<std::string> leader() const;
  // Every voter's latest sample, by id (a voter not sampled yet is absent).
  std::map<std::string, targets::MemberStatus> latest() const;

 private:
  void loop(const targets::MemberInfo& member);

  // Constant after construction.
  targets::Target& target_;
  journal::JournalWriter& journal_;
  const std::chrono::milliseconds interval_;

  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::map<std::string, targets::MemberStatus> latest_;  // guarded by mu_
};

}  // namespace faultline::runner
