#include "drills/verify/rolling.hpp"

#include <algorithm>
#include <map>

#include "drills/verify/objectives.hpp"

namespace faultline::verify {
namespace {

std::int64_t field(const Json& fields, const char* key) {
  const auto it = fields.find(key);
  if (it == fields.end() || !it->is_number()) return 0;
  return it->get<std::int64_t>();
}

// The longest stretch of [from, to] with no acknowledged write completing.
double longest_gap_ms(const History& h, std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> acks;
  for (const Op& op : h.ops) {
    if (op.is_put() && op.result == OpResult::ok && op.complete_ns >= from && op.complete_ns <= to) {
      acks.push_back(op.complete_ns);
    }
  }
  std::sort(acks.begin(), acks.end());
  std::int64_t longest = 0;
  std::int64_t previous = from;
  for (std::int64_t t : acks) {
    longest = std::max(longest, t - previous);
    previous = t;
  }
  longest = std::max(longest, to - previous);
  return static_cast<double>(longest) / 1e6;
}

}  // namespace

std::vector<RollingStep> measure_rolling(const History& h) {
  std::vector<RollingStep> out;
  const std::int64_t window = static_cast<std::int64_t>(h.plan.stability_window_ms * 1e6);
  // When each term's leader first took over.
  std::map<std::int64_t, std::int64_t> term_since;
  for (const MemberSample& m : h.samples) {
    if (m.role != "leader" || !m.term) continue;
    auto [it, fresh] = term_since.emplace(*m.term, m.role_instant_ns());
    if (!fresh) it->second = std::min(it->second, m.role_instant_ns());
  }
  for (const FaultStep& s : h.steps) {
    if (s.kind != "rolling_restart" || s.action != "restarted") continue;
    RollingStep r;
    r.fault = s.fault;
    r.step = field(s.fields, "step");
    r.member = s.member;
    r.was_leader = s.fields.value("was_leader", false);
    r.exited_by_itself = s.fields.value("exited_by_itself", true);
    r.stop_ns = field(s.fields, "stop_t_ns");
    r.healthy_ns = field(s.fields, "healthy_t_ns");
    r.caught_up_ns = field(s.fields, "caught_up_t_ns");
    r.down_ms = ms_between(r.stop_ns, r.healthy_ns);
    r.catch_up_ms = ms_between(r.healthy_ns, r.caught_up_ns);
    r.longest_gap_ms = longest_gap_ms(h, r.stop_ns, r.caught_up_ns);
    for (const Op& op : h.ops) {
      if (op.is_put() && op.invoke_ns >= r.stop_ns && op.invoke_ns <= r.caught_up_ns &&
          op.result != OpResult::ok) {
        ++r.failed_writes;
      }
    }
    out.push_back(r);
  }
  // A term belongs to the step stopped last before its leader took over:
  // from one step's stop to the next one's (the last step: until a
  // stability window after it caught up).
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool last = i + 1 == out.size() || out[i + 1].fault != out[i].fault;
    const std::int64_t to = last ? out[i].caught_up_ns + window : out[i + 1].stop_ns;
    for (const auto& [term, since] : term_since) {
      if (since >= out[i].stop_ns && since < to) ++out[i].elections;
    }
  }
  return out;
}

std::string describe(const RollingStep& s) {
  return "step " + std::to_string(s.step) + " " + s.member + (s.was_leader ? " (leader)" : "") + ": down " +
         format_number(s.down_ms) + " ms" + (s.exited_by_itself ? "" : " (SIGKILL after the grace period)") +
         ", caught up " + format_number(s.catch_up_ms) + " ms later; clients: longest " +
         format_number(s.longest_gap_ms) + " ms without an acknowledged write, " +
         std::to_string(s.failed_writes) + " writes not acknowledged; " + std::to_string(s.elections) +
         (s.elections == 1 ? " election" : " elections");
}

}  // namespace faultline::verify
