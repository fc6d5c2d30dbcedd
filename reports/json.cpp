// `faultline run --json`: the verdict and every measure as one object.
#include <cctype>

#include "reports/reports.hpp"
#include "reports/status.hpp"

namespace faultline::reports {
namespace {

using Json = nlohmann::json;

Json number_or_null(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }

}  // namespace

Json run_json(const History& h, const Verdict& v) {
  const std::string word = verdict_word(h, v);
  std::string lower = word;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Json out{{"plan", h.plan.name},
           {"plan_file", h.plan.file},
           {"plan_hash", h.plan.hash},
           {"seed", h.plan.seed},
           {"verdict", lower},
           {"pass", v.pass && !h.stopped},
           {"exit_code", v.exit_code},
           {"duration_s", static_cast<double>(h.end_ns) / 1e9}};
  out["stopped"] = h.stopped ? Json{{"cause", h.stopped->cause}, {"reason", h.stopped->reason},
                                    {"t_ns", h.stopped->t_ns}}
                             : Json(nullptr);
  out["halt"] = h.halt ? Json{{"probe", h.halt->probe}, {"for_ms", h.halt->for_ms}, {"reason", h.halt->reason},
                               {"t_ns", h.halt->t_ns}}
                        : Json(nullptr);
  out["unhealthy"] = h.unhealthy ? Json{{"probe", h.unhealthy->probe}, {"reason", h.unhealthy->reason},
                                        {"t_ns", h.unhealthy->t_ns}}
                                 : Json(nullptr);
  Json rollbacks = Json::array();
  for (const auto& r : h.rollbacks) {
    rollbacks.push_back(Json{{"action", r.action}, {"ok", r.ok}, {"detail", r.detail}, {"duration_ms", r.duration_ms}});
  }
  out["rollbacks"] = std::move(rollbacks);
  if (h.plan.trials > 1) out["trial"] = Json{{"index", h.plan.trial}, {"of", h.plan.trials}};
  Json checks = Json::array();
  for (const auto& c : v.checks) {
    checks.push_back(Json{{"objective", c.objective},
                          {"measured", number_or_null(c.measured)},
                          {"limit", c.limit},
                          {"unit", c.unit},
                          {"pass", c.pass},
                          {"judged", judged(h, c)},
                          {"detail", c.detail}});
  }
  out["checks"] = std::move(checks);
  const auto& p = v.rto.parts;
  out["rto"] = Json{{"applicable", v.rto.applicable},
                    {"rto_ms", number_or_null(v.rto.rto_ms)},
                    {"detect_ms", number_or_null(p.detect_ms)},
                    {"new_leader_ms", number_or_null(p.new_leader_ms)},
                    {"first_ack_ms", number_or_null(p.first_ack_ms)},
                    {"stable_ms", number_or_null(p.stable_ms)},
                    {"from_heal_ms", number_or_null(v.rto.from_heal_ms)},
                    {"detail", v.rto.detail}};
  out["rpo"] = Json{{"measured", v.rpo.measured},
                    {"lost_writes", number_or_null(v.rpo.lost_count())},
                    {"acknowledged", v.rpo.acknowledged},
                    {"checked", v.rpo.checked},
                    {"window_ms", number_or_null(v.rpo.window_ms)},
                    {"detail", v.rpo.detail}};
  Json measures = Json::object();
  for (const auto& m : verify::measures(v)) measures[m.name] = number_or_null(m.value);
  out["measures"] = std::move(measures);
  out["elections"] = v.elections.elections;
  out["operations"] = Json{{"ok", v.workload.ok}, {"fail", v.workload.fail}, {"unknown", v.workload.unknown}};
  if (v.linearizability) {
    out["linearizability"] = Json{{"verdict", v.linearizability->verdict},
                                  {"reason", v.linearizability->reason},
                                  {"keys", v.linearizability->keys},
                                  {"ops", v.linearizability->ops}};
  }
  return out;
}

}  // namespace faultline::reports
