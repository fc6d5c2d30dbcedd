// Schedule text form: printing and parsing.
#include "cluster/sim/schedule.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace faultline::sim {

namespace {

std::string ms(std::int64_t v) { return std::to_string(v); }

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

template <typename T>
std::optional<T> number(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string_view to_string(raft::PlantedBug bug) {
  switch (bug) {
    case raft::PlantedBug::none:
      return "none";
    case raft::PlantedBug::vote_without_log_check:
      return "vote_without_log_check";
    case raft::PlantedBug::commit_previous_term_by_counting:
      return "commit_previous_term_by_counting";
  }
  return "none";
}

std::optional<raft::PlantedBug> parse_planted_bug(std::string_view name) {
  for (auto bug : {raft::PlantedBug::none, raft::PlantedBug::vote_without_log_check,
                   raft::PlantedBug::commit_previous_term_by_counting}) {
    if (to_string(bug) == name) return bug;
  }
  return std::nullopt;
}

std::string to_string(const Action& x) {
  std::string s = "at " + ms(x.at_ms) + " ";
  switch (x.kind) {
    case ActionKind::crash:
      return s + "crash " + std::to_string(x.member);
    case ActionKind::crash_leader:
      return s + "crash leader";
    case ActionKind::restart:
      return s + "restart " + std::to_string(x.member);
    case ActionKind::restart_all:
      return s + "restart all";
    case ActionKind::partition:
      s += "partition";
      // Appended piecewise: GCC 12's -Wrestrict misfires on `" " + std::to_string(...)` in Release.
      for (const auto& [from, to] : x.cut) {
        s += ' ';
        s += std::to_string(from);
        s += '>';
        s += std::to_string(to);
      }
      return s;
    case ActionKind::isolate_leader:
      return s + "isolate leader";
    case ActionKind::heal:
      return s + "heal";
    case ActionKind::drop:
      return s + "drop " + ms(x.a);
    case ActionKind::duplicate:
      return s + "duplicate " + ms(x.a);
    case ActionKind::reorder:
      return s + "reorder " + ms(x.a);
    case ActionKind::delay:
      return s + "delay " + ms(x.a) + " " + ms(x.b);
    case ActionKind::slow:
      return s + "slow " + std::to_string(x.member) + " " + ms(x.a) + " " + ms(x.b);
    case ActionKind::drift:
      return s + "drift " + std::to_string(x.member) + " " + ms(x.a);
  }
  return s;
}

std::string to_text(const Schedule& schedule) {
  std::string out;
  for (const Action& a : schedule.actions) out += to_string(a) + "\n";
  return out;
}

std::string to_file_text(const SimConfig& config, const Schedule& schedule) {
  std::string out = "# faultline sim schedule; replay: faultline sim --schedule FILE\n";
  out += "seed " + std::to_string(config.seed) + "\n";
  out += "members " + std::to_string(config.members) + "\n";
  out += "duration_ms " + std::to_string(config.duration_ms) + "\n";
  out += "bug " + std::string(to_string(config.planted_bug)) + "\n";
  out += "timer " + std::string(raft::to_string(config.election_timer)) + "\n";
  return out + to_text(schedule);
}

ParsedSchedule parse_schedule(std::string_view text, SimConfig base) {
  ParsedSchedule out;
  out.config = base;
  std::size_t line_no = 0;
  auto fail = [&](const std::string& what) {
    out.error = "line " + std::to_string(line_no) + ": " + what;
    out.schedule = {};
    return out;
  };
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto w = words(line);
    if (w.empty()) continue;
    if (w[0] == "seed" || w[0] == "members" || w[0] == "duration_ms") {
      auto v = w.size() == 2 ? number<std::uint64_t>(w[1]) : std::nullopt;
      if (!v) return fail("expected '" + std::string(w[0]) + " <non-negative integer>'");
      if (w[0] == "seed") out.config.seed = *v;
      if (w[0] == "members") {
        if (*v < 1 || *v > 99) return fail("members must be 1..99");
        out.config.members = static_cast<std::size_t>(*v);
      }
      if (w[0] == "duration_ms") out.config.duration_ms = static_cast<std::int64_t>(*v);
      continue;
    }
    if (w[0] == "bug") {
      auto bug = w.size() == 2 ? parse_planted_bug(w[1]) : std::nullopt;
      if (!bug) return fail("unknown planted bug; expected none, vote_without_log_check or commit_previous_term_by_counting");
      out.config.planted_bug = *bug;
      continue;
    }
    if (w[0] == "timer") {
      if (w.size() != 2 || (w[1] != "wall" && w[1] != "ticks")) return fail("expected 'timer wall' or 'timer ticks'");
      out.config.election_timer = w[1] == "ticks" ? raft::ElectionTimer::ticks : raft::ElectionTimer::wall;
      continue;
    }
    if (w[0] != "at" || w.size() < 3) return fail("expected 'at <ms> <action> ...'");
    auto at = number<std::int64_t>(w[1]);
    if (!at || *at < 0) return fail("time must be a non-negative integer (ms)");
    Action a;
    a.at_ms = *at;
    const std::string_view verb = w[2];
    const std::size_t n = w.size() - 3;  // operands
    auto member = [&](std::string_view s) -> std::optional<raft::NodeId> {
      auto v = number<raft::NodeId>(s);
      if (!v || *v < 1 || *v > out.config.members) return std::nullopt;
      return v;
    };
    auto int_at = [&](std::size_t i) { return number<std::int64_t>(w[3 + i]); };
    bool ok = true;
    if (verb == "crash" && n == 1 && w[3] == "leader") {
      a.kind = ActionKind::crash_leader;
    } else if (verb == "restart" && n == 1 && w[3] == "all") {
      a.kind = ActionKind::restart_all;
    } else if ((verb == "crash" || verb == "restart") && n == 1) {
      a.kind = verb == "crash" ? ActionKind::crash : ActionKind::restart;
      auto m = member(w[3]);
      ok = m.has_value();
      if (ok) a.member = *m;
    } else if (verb == "partition") {
      a.kind = ActionKind::partition;
      for (std::size_t i = 0; i < n && ok; ++i) {
        const std::string_view link = w[3 + i];
        const auto gt = link.find('>');
        auto from = gt == std::string_view::npos ? std::nullopt : member(link.substr(0, gt));
        auto to = gt == std::string_view::npos ? std::nullopt : member(link.substr(gt + 1));
        ok = from && to && *from != *to;
        if (ok) a.cut.emplace_back(*from, *to);
      }
    } else if (verb == "isolate" && n == 1 && w[3] == "leader") {
      a.kind = ActionKind::isolate_leader;
    } else if (verb == "heal" && n == 0) {
      a.kind = ActionKind::heal;
    } else if ((verb == "drop" || verb == "duplicate" || verb == "reorder") && n == 1) {
      a.kind = verb == "drop" ? ActionKind::drop : verb == "duplicate" ? ActionKind::duplicate : ActionKind::reorder;
      auto v = int_at(0);
      ok = v && *v >= 0 && *v <= 1000;
      if (ok) a.a = *v;
    } else if (verb == "delay" && n == 2) {
      a.kind = ActionKind::delay;
      auto lo = int_at(0), hi = int_at(1);
      ok = lo && hi && *lo >= 0 && *hi >= *lo;
      if (ok) a.a = *lo, a.b = *hi;
    } else if (verb == "slow" && n == 3) {
      a.kind = ActionKind::slow;
      auto m = member(w[3]);
      auto lo = int_at(1), hi = int_at(2);
      ok = m && lo && hi && *lo >= 0 && *hi >= *lo;
      if (ok) a.member = *m, a.a = *lo, a.b = *hi;
    } else if (verb == "drift" && n == 2) {
      a.kind = ActionKind::drift;
      auto m = member(w[3]);
      auto ppm = int_at(1);
      ok = m && ppm && *ppm > -500'000 && *ppm < 500'000;
      if (ok) a.member = *m, a.a = *ppm;
    } else {
      return fail("unknown action or wrong operand count: '" + std::string(verb) + "'");
    }
    if (!ok) {
      return fail("bad operands for '" + std::string(verb) + "' (members are 1.." +
                  std::to_string(out.config.members) + ", per-mille 0..1000, min <= max, |ppm| < 500000)");
    }
    out.schedule.actions.push_back(std::move(a));
  }
  std::stable_sort(out.schedule.actions.begin(), out.schedule.actions.end(),
                   [](const Action& x, const Action& y) { return x.at_ms < y.at_ms; });
  return out;
}

}  // namespace faultline::sim
