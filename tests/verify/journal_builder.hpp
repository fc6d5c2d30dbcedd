// Builds journal events in code for checker and report tests. Times are given
// in milliseconds of run time and written as t_ns, so expected values can be
// computed exactly by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "drills/journal/journal.hpp"

namespace faultline::testing {

using Json = journal::Json;

inline std::int64_t ms_ns(double ms) { return static_cast<std::int64_t>(ms * 1'000'000.0); }

class JournalBuilder {
 public:
  JournalBuilder& run(std::optional<double> rto_ms, std::optional<double> rpo_writes, double window_ms = 1000,
                      double max_latency_ms = 500, const std::string& name = "leader-kill") {
    Json objectives = Json::object();
    if (rto_ms) objectives["rto_ms"] = *rto_ms;
    if (rpo_writes) objectives["rpo_writes"] = *rpo_writes;
    Json plan{{"name", name},
              {"objectives", objectives},
              {"steady_state", {{"stability_window_ms", window_ms}, {"max_latency_ms", max_latency_ms}}}};
    return event(0, "run",
                 {{"plan_name", name}, {"plan_file", "plans/" + name + ".json"}, {"plan_hash", "0123abcd"},
                  {"seed", 42}, {"version", "0.1.0"}, {"host", "test"}, {"started_at", "2024-01-01T00:00:00Z"},
                  {"plan", plan}});
  }

  // A put; no complete_ms means the op never completed.
  JournalBuilder& put(const std::string& op, const std::string& key, const std::string& value, double invoke_ms,
                      std::optional<double> complete_ms, const std::string& result = "ok") {
    event(invoke_ms, "op.invoke", {{"op", op}, {"client", "w1"}, {"f", "put"}, {"key", key}, {"value", value}});
    if (complete_ms) {
      Json fields{{"op", op}, {"client", "w1"}, {"f", "put"}, {"key", key}, {"value", value},
                  {"result", result}, {"member", "c1"}};
      if (result != "ok") fields["error"] = "connection refused";
      event(*complete_ms, "op.complete", fields);
    }
    return *this;
  }

  // Puts every `step_ms` from `from_ms` (inclusive) to `to_ms` (exclusive),
  // each taking `latency_ms`, each to its own key unless `key` is given.
  JournalBuilder& puts(double from_ms, double to_ms, double step_ms, double latency_ms,
                       const std::string& result = "ok", const std::string& key = "") {
    for (double t = from_ms; t < to_ms; t += step_ms) {
      const std::string id = "p" + std::to_string(next_++);
      last_value_ = "v-" + id;
      put(id, key.empty() ? "k-" + id : key, last_value_, t, t + latency_ms, result);
    }
    return *this;
  }

  // The value of the latest put made by puts().
  const std::string& last_value() const { return last_value_; }

  JournalBuilder& sample(double t_ms, const std::string& member, const std::string& role, std::int64_t term,
                         std::optional<double> role_since_ms = std::nullopt) {
    return event(t_ms, "member",
                 {{"member", member}, {"up", true}, {"role", role}, {"term", term},
                  {"leader", role == "leader" ? Json(member) : Json()}, {"commit_index", 10},
                  {"role_since_ns", role_since_ms ? Json(ms_ns(*role_since_ms)) : Json()}});
  }

  JournalBuilder& fault(double t_ms, std::int64_t term, const std::string& target = "c1") {
    return event(t_ms, "fault.inject",
                 {{"fault", 0}, {"fault_kind", "kill"}, {"selector", "leader"}, {"targets", {target}},
                  {"params", Json::object()}, {"applied", "SIGKILL to pid 4242"},
                  {"confirmed", "pid 4242 reaped: killed by signal 9"}, {"term", term}});
  }

  JournalBuilder& heal(double t_ms) {
    return event(t_ms, "fault.heal", {{"fault", 0}, {"fault_kind", "kill"}, {"targets", {"c1"}},
                                      {"applied", "restarted c1"}, {"confirmed", "c1 answered"}});
  }

  // A run event whose plan declares exactly `objectives`.
  JournalBuilder& run_with(const Json& objectives, double window_ms = 1000, double max_latency_ms = 500) {
    Json plan{{"name", "routed"},
              {"objectives", objectives},
              {"steady_state", {{"stability_window_ms", window_ms}, {"max_latency_ms", max_latency_ms}}}};
    return event(0, "run", {{"plan_name", "routed"}, {"seed", 7}, {"plan", plan}});
  }

  // A routed call of `session`; no complete_ms means it never completed. An
  // empty `worker` is written as null.
  JournalBuilder& call(const std::string& id, const std::string& session, double invoke_ms,
                       std::optional<double> complete_ms, const std::string& result, const std::string& worker,
                       const std::string& client = "k1") {
    event(invoke_ms, "call.invoke", {{"call", id}, {"client", client}, {"session", session}});
    if (complete_ms) {
      Json fields{{"call", id}, {"client", client}, {"session", session}, {"result", result},
                  {"worker", worker.empty() ? Json() : Json(worker)}};
      if (result != "ok") fields["error"] = "worker unavailable";
      event(*complete_ms, "call.complete", fields);
    }
    return *this;
  }

  // Ok calls of `session` every `step_ms` from `from_ms` (inclusive) to
  // `to_ms` (exclusive), each taking `latency_ms`, served by `worker`
  // (result other than ok: `worker` is written as given).
  JournalBuilder& calls(const std::string& session, double from_ms, double to_ms, double step_ms,
                        double latency_ms, const std::string& worker, const std::string& result = "ok") {
    for (double t = from_ms; t < to_ms; t += step_ms) {
      call(session + "-" + std::to_string(next_++), session, t, t + latency_ms, result, worker);
    }
    return *this;
  }

  JournalBuilder& worker_start(double t_ms, const std::string& worker, bool restart = false) {
    return event(t_ms, "worker.start",
                 {{"worker", worker}, {"pid", 5000}, {"url", "http://127.0.0.1:7001"}, {"restart", restart}});
  }

  JournalBuilder& worker_exit(double t_ms, const std::string& worker, bool expected = true) {
    return event(t_ms, "worker.exit",
                 {{"worker", worker}, {"pid", 5000}, {"signal", 9}, {"code", Json()}, {"expected", expected}});
  }

  JournalBuilder& fault_on(double t_ms, std::int64_t index, const std::string& kind, const std::string& target) {
    return event(t_ms, "fault.inject",
                 {{"fault", index}, {"fault_kind", kind}, {"selector", target}, {"targets", {target}},
                  {"params", Json::object()}, {"applied", kind + " " + target}, {"confirmed", "confirmed"},
                  {"term", Json()}});
  }

  JournalBuilder& heal_of(double t_ms, std::int64_t index, const std::string& kind, const std::string& target) {
    return event(t_ms, "fault.heal", {{"fault", index}, {"fault_kind", kind}, {"targets", {target}},
                                      {"applied", "healed " + target}, {"confirmed", "confirmed"}});
  }

  JournalBuilder& readback(double t_ms, const std::string& key, bool found, const std::string& value) {
    return event(t_ms, "readback",
                 {{"key", key}, {"found", found}, {"value", found ? Json(value) : Json()}, {"member", "c2"}});
  }

  JournalBuilder& event(double t_ms, const std::string& kind, Json fields = Json::object()) {
    fields["t_ns"] = ms_ns(t_ms);
    fields["kind"] = kind;
    events_.push_back(std::move(fields));
    return *this;
  }

  const std::vector<Json>& events() const { return events_; }

 private:
  std::vector<Json> events_;
  int next_ = 0;
  std::string last_value_;
};

}  // namespace faultline::testing
