// The observer's watch over the sentinels of a redis-sentinel target: what
// each sentinel says about the primary (polled every 25 ms: its config epoch
// and the address it gives clients, in one pipeline so the two agree), and
// the events each publishes (+sdown, +odown, +new-epoch, +switch-master...),
// passed on for the journal. Every connection leaves from the observer's
// address, which no fault touches.
//
// The terms the servers are given come from here (docs/redis.md, "Terms"):
// Redis has no term of its own, Sentinel's config epoch is the nearest
// thing. A primary's term is the config epoch of the sentinels that name it
// primary now; a replica that turned primary and is not named yet (promoted
// a moment ago) takes the highest epoch any sentinel has entered (+new-epoch);
// a primary no sentinel names (cut off, or restarted with its old config)
// keeps the term it had. A replica's term is that of the primary it is linked
// to. A member's term never goes down.
//
// Thread-safety: start/stop from one thread; every other call from any
// thread. Two threads per sentinel run between start() and stop().
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "drills/targets/redis_info.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {

struct SentinelAddress {
  std::string id;
  std::string host;
  int port = 0;
};

// The term rule above, apart from the threads so that it can be tested.
class RedisTerms {
 public:
  // `named`: the highest config epoch among the sentinels that name `member`
  // primary now, if any; `highest_epoch`: the highest any sentinel entered.
  std::uint64_t term_of(const std::string& member, bool master, std::optional<std::uint64_t> named,
                        std::uint64_t highest_epoch, const std::optional<std::string>& follows);

 private:
  std::map<std::string, std::uint64_t> last_term_;
  std::map<std::string, bool> last_master_;  // the role last seen
};

class SentinelWatch {
 public:
  // `book`: "ip:port" -> member id, for every server and sentinel.
  SentinelWatch(std::string master_name, std::vector<SentinelAddress> sentinels,
                std::map<std::string, std::string> book, std::string source_address);
  ~SentinelWatch();
  SentinelWatch(const SentinelWatch&) = delete;
  SentinelWatch& operator=(const SentinelWatch&) = delete;

  void start();
  void stop();
  // Where events go from now on; an empty sink stops them, and once
  // set_sink returns the old sink is not called again.
  void set_sink(Target::EventSink sink);

  // The member a majority of the sentinels name primary, from reports at
  // most a second old.
  std::optional<std::string> agreed_primary() const;
  // Each sentinel's latest report, if at most a second old.
  std::map<std::string, SentinelReport> fresh_reports() const;
  // The term of `member` by the rule above: `master` from its own INFO;
  // `follows`, the member a replica is linked to.
  std::uint64_t term_of(const std::string& member, bool master, const std::optional<std::string>& follows);

 private:
  void poll_loop(std::size_t index);
  void events_loop(std::size_t index);
  void publish(std::size_t index, const std::string& channel, const std::string& message);
  std::string member_at(const std::string& address) const;

  // Constant after construction.
  const std::string master_name_;
  const std::vector<SentinelAddress> sentinels_;
  const std::map<std::string, std::string> book_;
  const std::string source_;

  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;

  struct Report {
    SentinelReport report;
    std::chrono::steady_clock::time_point at;
  };
  mutable std::mutex mu_;
  std::map<std::string, Report> reports_;                  // by sentinel id; guarded by mu_
  std::uint64_t highest_epoch_ = 0;                          // guarded by mu_
  RedisTerms terms_;                                         // guarded by mu_

  std::mutex sink_mu_;
  Target::EventSink sink_;  // guarded by sink_mu_
};

}  // namespace faultline::targets
