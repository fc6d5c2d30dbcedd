#include "drills/runner/monitor.hpp"

#include <optional>

namespace faultline::runner {

namespace {
// A sample must not take longer than a few sampling intervals, or a frozen
// member's lane fills with gaps; 150 ms keeps it well below an election.
constexpr long kStatusTimeoutMs = 150;
constexpr std::int64_t kHeartbeatNs = 500'000'000;  // log unchanged members twice a second

bool same_view(const targets::MemberStatus& a, const targets::MemberStatus& b) {
  return a.up == b.up && a.role == b.role && a.term == b.term && a.leader == b.leader;
}
}  // namespace

Monitor::Monitor(targets::Target& target, journal::JournalWriter& journal, std::chrono::milliseconds interval)
    : target_(target), journal_(journal), interval_(interval) {}

Monitor::~Monitor() { stop(); }

void Monitor::start() {
  target_.start_events([this](journal::Json event) { journal_.write("target.event", std::move(event)); });
  for (const targets::MemberInfo* m : target_.voters()) {
    threads_.emplace_back([this, m] { loop(*m); });
  }
}

void Monitor::stop() {
  if (!stopping_.exchange(true)) target_.stop_events();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

std::optional<std::string> Monitor::leader() const {
  std::lock_guard lock(mu_);
  std::optional<std::string> best;
  std::uint64_t best_term = 0;
  for (const auto& [id, status] : latest_) {
    if (status.up && status.role == "leader" && (!best || status.term > best_term)) {
      best = id;
      best_term = status.term;
    }
  }
  return best;
}

std::map<std::string, targets::MemberStatus> Monitor::latest() const {
  std::lock_guard lock(mu_);
  return latest_;
}

void Monitor::loop(const targets::MemberInfo& member) {
  std::optional<targets::MemberStatus> last;
  std::int64_t last_logged = 0;
  while (!stopping_) {
    const auto next = std::chrono::steady_clock::now() + interval_;
    const targets::MemberStatus now = target_.status(member, kStatusTimeoutMs);
    const bool changed = !last || !same_view(*last, now);
    last = now;
    {
      std::lock_guard lock(mu_);
      latest_[member.id] = now;
    }
    const std::int64_t t = journal_.now_ns();
    if (changed || t - last_logged >= kHeartbeatNs) {
      last_logged = t;
      journal::Json event{{"member", member.id}, {"up", now.up}};
      if (now.up) {
        event["role"] = now.role;
        event["term"] = now.term;
        event["leader"] = now.leader ? journal::Json(*now.leader) : journal::Json(nullptr);
        event["commit_index"] = now.commit_index;
        event["role_since_ns"] =
            now.role_since_mono_ns > 0 ? journal::Json(journal_.to_run_ns(now.role_since_mono_ns)) : journal::Json(nullptr);
      } else {
        event["role"] = nullptr;
        event["term"] = nullptr;
        event["leader"] = nullptr;
        event["commit_index"] = nullptr;
        event["role_since_ns"] = nullptr;
      }
      journal_.write("member", std::move(event));
    }
    std::this_thread::sleep_until(next);
  }
}

}  // namespace faultline::runner
