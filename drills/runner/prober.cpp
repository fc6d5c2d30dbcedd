#include "drills/runner/prober.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "chaos/process/wait.hpp"
#include "drills/plan/probes.hpp"
#include "drills/runner/probe_take.hpp"
#include "drills/verify/objectives.hpp"

namespace faultline::runner {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::int64_t kMs = 1'000'000;
constexpr auto kFirstSamplesWait = std::chrono::seconds(2);
constexpr std::int64_t kJudgeSlackNs = 2'000 * kMs;

bool has(const plan::ProbeSpec& spec, const char* when) {
  return std::find(spec.when.begin(), spec.when.end(), when) != spec.when.end();
}

// A file name for a probe's output: its name with anything unusual replaced.
std::string file_name(const std::string& probe) {
  std::string out;
  for (char c : probe) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out.empty() ? "probe" : out;
}

std::uint64_t mix(std::uint64_t seed, const std::string& name) {
  std::uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

std::string seconds(std::int64_t t_ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", static_cast<double>(t_ns) / 1e9);
  return text;
}
std::string millis(std::int64_t ns) { return verify::format_number(static_cast<double>(ns) / 1e6) + " ms"; }

}  // namespace

std::int64_t longest_window_ns(const plan::Plan& plan) {
  std::int64_t longest = 1000;
  for (const auto& p : plan.steady_state.probes) longest = std::max(longest, p.params.value("window_ms", std::int64_t{0}));
  return (longest + 1000) * kMs;
}

Prober::Prober(const plan::Plan& plan, targets::Target& target, const Monitor& monitor, const OpWindow& ops,
               journal::JournalWriter& journal, std::filesystem::path dir, std::uint64_t seed)
    : plan_(plan),
      target_(target),
      monitor_(monitor),
      journal_(journal),
      dir_(std::move(dir)),
      seed_(seed),
      interval_(plan.steady_state.sample_ms),
      ops_(ops) {
  for (const plan::ProbeSpec& spec : plan.steady_state.probes) {
    auto track = std::make_unique<Track>();
    track->spec = spec;
    const plan::ProbeKind* kind = plan::find_probe_kind(spec.kind);
    track->sampled = kind != nullptr && kind->sampled;
    track->before = has(spec, "before");
    track->after = has(spec, "after");
    tracks_.push_back(std::move(track));
  }
}

Prober::~Prober() { stop(); }

void Prober::start() {
  if (tracks_.empty()) return;
  const std::size_t voters = target_.voters().size();
  process::wait_until([&] { return monitor_.latest().size() >= voters; }, SteadyClock::now() + kFirstSamplesWait);
  bool computed = false;
  for (auto& track : tracks_) {
    if (!track->sampled) {
      computed = true;
      continue;
    }
    if (track->spec.kind == "command") {
      std::error_code ec;
      std::filesystem::create_directories(dir_ / "probes", ec);
    }
    Track* t = track.get();
    threads_.emplace_back([this, t] { sampled_loop(*t); });
  }
  if (computed) threads_.emplace_back([this] { computed_loop(); });
}

void Prober::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool Prober::pause_until(SteadyClock::time_point until) {
  std::unique_lock lock(mu_);
  wake_.wait_until(lock, until, [this] { return stopping_; });
  return !stopping_;
}

void Prober::sampled_loop(Track& track) {
  auto stopping = [this] {
    std::lock_guard lock(mu_);
    return stopping_;
  };
  ProbeTaker taker(track.spec, target_, monitor_, dir_ / "probes" / (file_name(track.spec.name) + ".out"),
                   mix(seed_, track.spec.name), stopping);
  auto next = SteadyClock::now();
  while (pause_until(next)) {
    const ProbeOutcome outcome = taker.take();
    // A sample cut short by the end of the run says nothing of the system.
    if (stopping()) break;
    Json event{{"name", track.spec.name}, {"pass", outcome.pass}, {"value", outcome.value}};
    if (!outcome.pass) event["detail"] = outcome.detail;
    const std::int64_t t = journal_.write("probe", std::move(event));
    record(track, t, outcome);
    next += interval_;
    next = std::max(next, SteadyClock::now());
  }
}

void Prober::computed_loop() {
  auto next = SteadyClock::now();
  while (pause_until(next)) {
    const std::int64_t now = journal_.now_ns();
    for (auto& track : tracks_) {
      if (track->sampled) continue;
      if (auto outcome = ops_.evaluate(track->spec.kind, track->spec.params, now)) record(*track, now, *outcome);
    }
    next += interval_;
    next = std::max(next, SteadyClock::now());
  }
}

void Prober::record(Track& track, std::int64_t t_ns, const ProbeOutcome& outcome) {
  std::lock_guard lock(mu_);
  ++track.points;
  track.last_ns = t_ns;
  if (!outcome.pass) {
    track.latest_detail = outcome.detail;
    if (!track.failing_since) {
      track.failing_since = t_ns;
      track.failing_detail = outcome.detail;
    }
    return;
  }
  if (track.failing_since) {
    const std::int64_t length = t_ns - *track.failing_since;
    if (!track.longest_failure_ns || length > *track.longest_failure_ns) {
      track.longest_failure_ns = length;
      track.worst_detail = track.failing_detail;
      track.worst_since_ns = *track.failing_since;
    }
    track.failing_since.reset();
  }
}

std::int64_t Prober::bound_ns(const Track& track) const {
  const std::int64_t own = track.sampled ? track.spec.params.value("timeout_ms", std::int64_t{200}) +
                                               plan_.steady_state.sample_ms
                                         : track.spec.params.value("window_ms", std::int64_t{1000});
  return own * kMs + kJudgeSlackNs;
}

SteadyCall Prober::before_faults(std::int64_t now_ns, bool fault_due) {
  SteadyCall call;
  auto unhealthy = [&](const Track& t, const std::string& detail, std::int64_t since) {
    call.act = SteadyCall::Act::unhealthy;
    call.probe = t.spec.name;
    call.detail = detail;
    call.since_ns = since;
    call.reason = "the steady state did not hold before any fault: probe " + t.spec.name + ": " + detail;
    return call;
  };
  std::lock_guard lock(mu_);
  bool waiting = false;
  for (const auto& track : tracks_) {
    const Track& t = *track;
    if (!t.before) continue;
    const std::int64_t tolerance = t.spec.tolerance_ms * kMs;
    if (t.longest_failure_ns && *t.longest_failure_ns >= tolerance) {
      return unhealthy(t, t.worst_detail + " (failed for " + millis(*t.longest_failure_ns) + " from " +
                              seconds(t.worst_since_ns) + ")",
                       t.worst_since_ns);
    }
    if (t.failing_since && now_ns - *t.failing_since >= tolerance) {
      return unhealthy(t, t.failing_detail + " (failing since " + seconds(*t.failing_since) + ")", *t.failing_since);
    }
    if (!fault_due) continue;
    if (t.points == 0 || t.failing_since) {
      if (!hold_since_ns_) hold_since_ns_ = now_ns;
      if (t.points == 0 && now_ns - *hold_since_ns_ > bound_ns(t)) {
        return unhealthy(t, "no sample could be judged before the first fault was due", now_ns);
      }
      waiting = true;
    }
  }
  if (waiting) call.act = SteadyCall::Act::hold;
  return call;
}

void Prober::faults_started(std::int64_t now_ns) {
  armed_ns_ = now_ns;
  halts_armed_ = true;
}

std::optional<SteadyCall> Prober::halt(std::int64_t now_ns) const {
  if (!halts_armed_) return std::nullopt;
  std::lock_guard lock(mu_);
  for (const plan::HaltSpec& h : plan_.halts) {
    for (const auto& track : tracks_) {
      const Track& t = *track;
      if (t.spec.name != h.probe || !t.failing_since) continue;
      const std::int64_t from = std::max(*t.failing_since, armed_ns_);
      if (now_ns - from < h.for_ms * kMs) continue;
      SteadyCall call;
      call.act = SteadyCall::Act::halt;
      call.probe = h.probe;
      call.detail = t.latest_detail;
      call.for_ms = h.for_ms;
      call.since_ns = *t.failing_since;
      call.reason = "probe " + h.probe + " failed for " + millis(now_ns - from) + " while the faults ran (since " +
                    seconds(from) + "; the halt condition's for_ms is " + std::to_string(h.for_ms) +
                    "): " + t.latest_detail;
      return call;
    }
  }
  return std::nullopt;
}

bool Prober::wait_after(std::int64_t since_ns) {
  std::int64_t bound = 0;
  std::vector<const Track*> after;
  for (const auto& track : tracks_) {
    if (!track->after || !track->sampled) continue;
    after.push_back(track.get());
    bound = std::max(bound, bound_ns(*track));
  }
  if (after.empty()) return true;
  const auto fresh = [&] {
    std::lock_guard lock(mu_);
    return std::all_of(after.begin(), after.end(), [&](const Track* t) { return t->last_ns > since_ns; });
  };
  return process::wait_until(fresh, SteadyClock::now() + std::chrono::nanoseconds(bound)) ==
         process::WaitResult::met;
}

}  // namespace faultline::runner
