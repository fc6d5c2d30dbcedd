#include "drills/runner/monitor.hpp"

namespace faultline::runner {

namespace {
constexpr long kStatusTimeoutMs = 150;
constexpr std::int64_t kHeartbeatNs = 500'000'000;  // log unchanged members twice a second

bool same_view(const MemberStatus& a, const MemberStatus& b) {
  return a.up == b.up && a.role == b.role && a.term == b.term && a.leader == b.leader;
}
}  // namespace

Monitor::Monitor(std::vector<MemberInfo> members, journal::JournalWriter& journal,
                 std::chrono::milliseconds interval)
    : members_(std::move(members)), journal_(journal), interval_(interval) {}

Monitor::~Monitor() { stop(); }

void Monitor::start() { thread_ = std::thread([this] { loop(); }); }

void Monitor::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void Monitor::loop() {
  while (!stopping_) {
    const auto next = std::chrono::steady_clock::now() + interval_;
    for (const auto& member : members_) sample(member);
    std::this_thread::sleep_until(next);
  }
}

void Monitor::sample(const MemberInfo& member) {
  const MemberStatus now = EmbeddedCluster::status(member.url, kStatusTimeoutMs);
  auto it = latest_.find(member.id);
  const bool changed = it == latest_.end() || !same_view(it->second, now);
  latest_[member.id] = now;
  const std::int64_t t = journal_.now_ns();
  auto logged = last_logged_.find(member.id);
  if (!changed && logged != last_logged_.end() && t - logged->second < kHeartbeatNs) return;
  last_logged_[member.id] = t;
  journal::Json event{{"member", member.id}, {"up", now.up}};
  if (now.up) {
    event["role"] = now.role;
    event["term"] = now.term;
    event["leader"] = now.leader ? journal::Json(*now.leader) : journal::Json(nullptr);
    event["commit_index"] = now.commit_index;
    event["role_since_ns"] = journal_.to_run_ns(now.role_since_mono_ns);
  } else {
    event["role"] = nullptr;
    event["term"] = nullptr;
    event["leader"] = nullptr;
    event["commit_index"] = nullptr;
    event["role_since_ns"] = nullptr;
  }
  journal_.write("member", std::move(event));
}

}  // namespace faultline::runner
