#include "drills/runner/console.hpp"

#include <cstdio>
#include <ostream>

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kTick = std::chrono::milliseconds(250);
constexpr auto kRateWindow = std::chrono::seconds(1);
constexpr const char* kEraseLine = "\r\033[K";

std::string fixed(double value, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string colour(const std::string& text, const char* code, bool on) {
  return on ? std::string(code) + text + "\033[0m" : text;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? separator : "") + items[i];
  return s;
}

std::string text_of(const Json& event, const char* key) {
  const auto it = event.find(key);
  if (it == event.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string targets_of(const Json& event) {
  std::vector<std::string> names;
  const auto it = event.find("targets");
  if (it != event.end() && it->is_array()) {
    for (const auto& t : *it) names.push_back(t.is_string() ? t.get<std::string>() : t.dump());
  }
  return join(names, ",");
}

// What each phase that gets a line is for; inject, observe, heal and done
// are said by the fault lines and the verdict.
const char* phase_text(const std::string& phase) {
  if (phase == "setup") return "setup: starting the members";
  if (phase == "warmup") return "warmup: waiting for a leader";
  if (phase == "baseline") return "baseline: the workload starts";
  if (phase == "recover") return "recover: the workload ended; waiting for the cluster to converge, then reading back";
  if (phase == "verify") return "verify: stopping the members, checking the journal";
  return nullptr;
}

}  // namespace

std::string render_live_line(const LiveView& v, std::size_t width, bool color) {
  // "trial 02/05  observe 3.3s (1.4s left) | 173 ops/s 99.5% ok | kill c2 | leader c3"
  const std::string lead = v.prefix.empty() ? "" : v.prefix + "  ";
  std::string times = " " + fixed(v.elapsed_s, 1) + "s";
  if (v.remaining_s) times += " (" + fixed(*v.remaining_s, 1) + "s left)";
  std::vector<std::string> parts{lead + v.phase + times};
  if (v.ops_per_s) {
    std::string ops = fixed(*v.ops_per_s, 0) + " ops/s";
    if (v.ok_percent) ops += " " + fixed(*v.ok_percent, *v.ok_percent >= 99.95 ? 0 : 1) + "% ok";
    parts.push_back(ops);
  }
  const std::string faults = v.faults.empty() ? "no fault" : join(v.faults, ", ");
  parts.push_back(faults);
  if (v.leader_known) parts.push_back("leader " + v.leader.value_or("none"));
  const std::string line = join(parts, " | ");
  const std::size_t room = width > 1 ? width - 1 : 1;
  if (line.size() > room) return line.substr(0, room);
  if (!color) return line;
  // The same text with the phase in bold and the faults in yellow.
  parts[0] = lead + colour(v.phase, "\033[1m", true) + times;
  if (!v.faults.empty()) parts[v.ops_per_s ? 2 : 1] = colour(faults, "\033[33m", true);
  return join(parts, " | ");
}

std::string render_event_line(const std::string& kind, const Json& event, bool color) {
  const auto t_ns = event.value("t_ns", std::int64_t{0});
  const std::string stamp = "[" + fixed(static_cast<double>(t_ns) / 1e9, 2) + " s] ";
  if (kind == "phase") {
    const char* text = phase_text(text_of(event, "phase"));
    return text ? stamp + text : "";
  }
  if (kind == "fault.inject") {
    std::string s = "fault " + text_of(event, "fault") + " " + text_of(event, "fault_kind") + " " +
                    targets_of(event) + " (" + text_of(event, "selector") + ") injected";
    const std::string confirmed = text_of(event, "confirmed");
    if (!confirmed.empty()) s += ": " + confirmed;
    return stamp + colour(s, "\033[33m", color);
  }
  if (kind == "fault.heal") {
    std::string s = "fault " + text_of(event, "fault") + " " + text_of(event, "fault_kind") + " " +
                    targets_of(event) + " healed";
    const std::string why = text_of(event, "why");
    if (!why.empty()) s += " (" + why + ")";
    const std::string confirmed = text_of(event, "confirmed");
    if (!confirmed.empty()) s += ": " + confirmed;
    return stamp + colour(s, "\033[32m", color);
  }
  if (kind == "note") return stamp + "note: " + text_of(event, "text");
  if (kind == "halt") return stamp + colour("drill halted: " + text_of(event, "reason"), "\033[1;31m", color);
  if (kind == "unhealthy") return stamp + colour(text_of(event, "reason"), "\033[1;31m", color);
  if (kind == "rollback") {
    std::string s = "rollback " + text_of(event, "rollback") + " " + text_of(event, "action") +
                    (event.value("ok", false) ? " done: " : " FAILED: ") + text_of(event, "detail");
    return stamp + (event.value("ok", false) ? s : colour(s, "\033[1;31m", color));
  }
  if (kind == "member.exit" || kind == "worker.exit") {
    if (event.value("expected", false)) return "";
    const std::string id = text_of(event, kind == "member.exit" ? "member" : "worker");
    const std::string signal = text_of(event, "signal");
    const std::string how = signal.empty() ? "exit code " + text_of(event, "code") : "signal " + signal;
    return stamp + colour(id + " exited on its own (" + how + ")", "\033[1;31m", color);
  }
  return "";
}

Console::Console(ConsoleOptions options, std::ostream& out, std::ostream& err)
    : options_(options), out_(out), err_(err) {
  if (options_.mode == ConsoleOptions::Mode::live) ticker_ = std::thread([this] { tick(); });
}

Console::~Console() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

bool Console::chatty() const {
  return options_.mode == ConsoleOptions::Mode::plain || options_.mode == ConsoleOptions::Mode::live;
}

std::set<std::string> Console::observed_kinds() {
  return {"phase", "fault.inject", "fault.heal", "note", "member.exit", "worker.exit", "halt", "unhealthy", "rollback"};
}

void Console::on_event(const std::string& kind, const Json& event) {
  std::lock_guard lock(mu_);
  if (kind == "phase") {
    phase_ = text_of(event, "phase");
    // Past the workload, the time left is no longer the run's.
    if (phase_ == "recover" || phase_ == "verify") workload_end_.reset();
  }
  if (!chatty()) return;
  const std::string text = render_event_line(kind, event, options_.color);
  if (text.empty()) return;
  erase_locked();
  out_ << (prefix_.empty() ? "" : prefix_ + "  ") << text << "\n";
  draw_locked();
}

void Console::begin_run(const std::string& prefix) {
  std::lock_guard lock(mu_);
  running_ = true;
  prefix_ = prefix;
  phase_ = "setup";
  begun_ = SteadyClock::now();
  workload_end_.reset();
  faults_.clear();
  samples_.clear();
}

void Console::end_run() {
  std::lock_guard lock(mu_);
  erase_locked();
  running_ = false;
  sources_ = {};
}

void Console::set_sources(Sources sources) {
  std::lock_guard lock(mu_);
  sources_ = std::move(sources);
  samples_.clear();
}

void Console::clear_sources() {
  std::lock_guard lock(mu_);
  sources_ = {};
}

void Console::workload_started(std::chrono::milliseconds duration) {
  std::lock_guard lock(mu_);
  workload_end_ = SteadyClock::now() + duration;
}

void Console::set_faults(const std::vector<std::string>& faults) {
  std::lock_guard lock(mu_);
  faults_ = faults;
}

void Console::line(const std::string& text) {
  if (!chatty()) return;
  std::lock_guard lock(mu_);
  erase_locked();
  out_ << text << "\n";
  draw_locked();
}

void Console::print(const std::string& text) {
  std::lock_guard lock(mu_);
  erase_locked();
  out_ << text << std::flush;
  draw_locked();
}

void Console::error(const std::string& text) {
  std::lock_guard lock(mu_);
  erase_locked();
  err_ << "error: " << text << "\n" << std::flush;
  draw_locked();
}

void Console::note(const std::string& text) {
  std::lock_guard lock(mu_);
  erase_locked();
  err_ << "note: " << text << "\n" << std::flush;
  draw_locked();
}

LiveView Console::view_locked() {
  LiveView v;
  const auto now = SteadyClock::now();
  v.prefix = prefix_;
  v.phase = phase_;
  v.elapsed_s = std::chrono::duration<double>(now - begun_).count();
  if (workload_end_) v.remaining_s = std::max(0.0, std::chrono::duration<double>(*workload_end_ - now).count());
  v.faults = faults_;
  if (sources_.progress) {
    samples_.push_back({now, sources_.progress()});
    while (samples_.size() > 2 && now - samples_[1].at >= kRateWindow) samples_.erase(samples_.begin());
    const Sample& first = samples_.front();
    const double seconds = std::chrono::duration<double>(now - first.at).count();
    if (samples_.size() >= 2 && seconds > 0) {
      const auto done = samples_.back().progress.completed - first.progress.completed;
      const auto ok = samples_.back().progress.ok - first.progress.ok;
      v.ops_per_s = static_cast<double>(done) / seconds;
      if (done > 0) v.ok_percent = 100.0 * static_cast<double>(ok) / static_cast<double>(done);
    }
  }
  if (sources_.leader) {
    v.leader_known = true;
    v.leader = sources_.leader();
  }
  return v;
}

void Console::draw_locked() {
  if (options_.mode != ConsoleOptions::Mode::live || !running_) return;
  const LiveView v = view_locked();
  out_ << kEraseLine << render_live_line(v, static_cast<std::size_t>(options_.width), options_.color) << std::flush;
  line_shown_ = true;
}

void Console::erase_locked() {
  if (!line_shown_) return;
  out_ << kEraseLine << std::flush;
  line_shown_ = false;
}

void Console::tick() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, kTick, [this] { return stopping_; });
    if (stopping_) break;
    draw_locked();
  }
  erase_locked();
}

}  // namespace faultline::runner
