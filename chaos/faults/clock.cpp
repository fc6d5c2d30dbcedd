// clock: one member's clock made wrong. Three modes:
//
//   offset  the clock reads `offset_ms` ahead of the true time (behind when
//           negative), held until the heal
//   jump    the clock steps by `offset_ms` at one instant, from wherever it
//           is (jumps add up), and runs on from there
//   drift   the clock runs `drift_pct` percent fast (slow when negative)
//           from the injection on, without a step
//
// Healed by returning to the true time: at once, a step (`return: step`),
// or without a step (`return: slew`: the clock runs `slew_pct` percent slow
// or fast until the skew is gone, as NTP slews; the heal waits for it). A
// step back stops a leader's heartbeats until its clock passes its next
// deadline again, and a step forward fires its check-quorum: either can
// cost an election when the skew exceeds the election timeout
// (docs/reference-cluster.md, "Clock"). How it is done depends on the
// member (FaultEnvironment::clock_access): a reference coordinator's clock
// failpoint (PUT /admin/failpoints/clock), or libfaketime's control file for
// members started under it (the wall clock only; drift is refused there,
// since libfaketime applies a rate from the process's start). A member with
// neither stops the run; plan validation refuses the topologies known never
// to take it (etcd).
//
// Confirmed from outside the member: its reported time (or, under
// libfaketime, the time a probe process in its environment reads) against
// the runner's own clock at the midpoint of the request, within half the
// round trip; drift by two such readings 400 ms apart.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <thread>

#include "chaos/faults/faketime_file.hpp"
#include "chaos/faults/kinds.hpp"
#include "chaos/process/termination.hpp"

namespace faultline::faults {

std::optional<std::string> write_faketime_offset(const std::filesystem::path& file, double offset_ms) {
  const std::string tmp = file.string() + ".tmp";
  char text[64];
  std::snprintf(text, sizeof text, "%+.3f\n", offset_ms / 1000.0);
  FILE* out = std::fopen(tmp.c_str(), "w");
  if (out == nullptr) return "cannot write the libfaketime control file " + tmp;
  const bool written = std::fputs(text, out) >= 0;
  const bool closed = std::fclose(out) == 0;
  std::error_code ec;
  if (written && closed) std::filesystem::rename(tmp, file, ec);
  if (!written || !closed || ec) return "cannot replace the libfaketime control file " + file.string();
  return std::nullopt;
}

namespace {

constexpr auto kDriftSample = std::chrono::milliseconds(400);
constexpr double kResolutionMs = 2.0;   // the member reports whole ms
constexpr auto kProbeTimeout = std::chrono::seconds(5);

struct Reading {
  double skew_ms = 0;       // the member's time minus the runner's, at the midpoint
  double tolerance_ms = 0;  // half the round trip plus the reporting resolution
  double at_ms = 0;         // the midpoint, on the runner's clock
};

class ClockFault final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    std::string error;
    const auto chosen = resolve_targets(env, request_, error);
    if (!chosen) return error;
    out.targets = chosen->ids;
    out.term = chosen->term;
    mode_ = request_.params.value("mode", std::string("offset"));
    offset_ms_ = request_.params.value("offset_ms", 0.0);
    drift_pct_ = request_.params.value("drift_pct", 0.0);
    return_ = request_.params.value("return", std::string("step"));
    slew_pct_ = request_.params.value("slew_pct", 50.0);
    out.measured = Json{{"members", Json::array()}};
    for (const auto& id : chosen->ids) {
      const ClockAccess access = env.clock_access(id);
      if (access.way == ClockAccess::Way::none) {
        return fault_label(request_) + "cannot shift the clock of " + id + ": " + access.why_not;
      }
      if (access.way == ClockAccess::Way::faketime && return_ == "slew") {
        return fault_label(request_) + id +
               "'s clock is shifted through libfaketime, which cannot slew it back: use return step";
      }
      if (access.way == ClockAccess::Way::faketime && mode_ == "drift") {
        return fault_label(request_) + id +
               "'s clock is shifted through libfaketime, which applies a rate from the process's start "
               "(a drift set now would step its clock by the whole run's worth): use mode offset or jump";
      }
      if (out.signal_t_ns == 0) out.signal_t_ns = env.now_ns();
      Json measured;
      if (auto failed = access.way == ClockAccess::Way::failpoint ? inject_failpoint(env, id, measured)
                                                                  : inject_faketime(env, id, access, measured)) {
        heal_done(env);
        return fault_label(request_) + *failed;
      }
      measured["member"] = id;
      out.measured["members"].push_back(measured);
      done_.push_back({id, access});
    }
    out.detail = Json{{"mode", mode_}};
    if (mode_ == "drift") {
      out.detail["drift_pct"] = drift_pct_;
      out.applied = "clock running " + std::to_string(drift_pct_) + " % off the true rate";
      out.confirmed = "the members' clocks drift as asked (two readings " +
                      std::to_string(kDriftSample.count()) + " ms apart)";
    } else {
      out.detail["offset_ms"] = offset_ms_;
      out.applied = std::string(mode_ == "jump" ? "clock stepped by " : "clock set off by ") +
                    std::to_string(offset_ms_) + " ms";
      out.confirmed = "the members' reported time is off by the asked amount";
    }
    return std::nullopt;
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    out.measured = Json{{"members", Json::array()}};
    for (const auto& d : done_) {
      Json measured{{"member", d.id}};
      if (auto failed = heal_one(env, d, measured)) return fault_label(request_) + *failed;
      out.measured["members"].push_back(measured);
    }
    out.applied = "clocks back to the true time";
    out.confirmed = "the members' reported time agrees with the runner's";
    done_.clear();
    return std::nullopt;
  }

 private:
  struct Done {
    std::string id;
    ClockAccess access;
  };

  // The member's own clock through its admin endpoint, against the runner's.
  std::optional<std::string> read_failpoint(FaultEnvironment& env, const std::string& id, Reading& r) {
    const AdminAnswer a = env.admin(id, "GET", "/admin/failpoints", nullptr);
    if (!a.ok()) return "reading " + id + "'s clock: " + a.error;
    const Json clock = a.body.is_object() ? a.body.value("clock", Json()) : Json();
    if (!clock.is_object() || !clock.contains("now_ms")) return id + "'s failpoints do not report its clock";
    const double mid_ms = static_cast<double>(a.sent_mono_ns + a.answered_mono_ns) / 2e6;
    r.skew_ms = clock["now_ms"].get<double>() - mid_ms;
    r.tolerance_ms = static_cast<double>(a.answered_mono_ns - a.sent_mono_ns) / 2e6 + kResolutionMs;
    r.at_ms = mid_ms;
    return std::nullopt;
  }

  std::optional<std::string> put_clock(FaultEnvironment& env, const std::string& id, Json body) {
    const AdminAnswer a = env.admin(id, "PUT", "/admin/failpoints/clock", body);
    if (!a.ok()) return "setting " + id + "'s clock failpoint: " + a.error;
    return std::nullopt;
  }

  std::optional<std::string> inject_failpoint(FaultEnvironment& env, const std::string& id, Json& measured) {
    Reading before, after;
    if (auto e = read_failpoint(env, id, before)) return e;
    measured["way"] = "failpoint";
    if (mode_ == "drift") {
      if (auto e = put_clock(env, id, Json{{"mode", "drift"}, {"drift_pct", drift_pct_}})) return e;
      if (auto e = read_failpoint(env, id, before)) return e;
      std::this_thread::sleep_for(kDriftSample);
      if (auto e = read_failpoint(env, id, after)) return e;
      const double elapsed = after.at_ms - before.at_ms;
      const double rate_pct = (after.skew_ms - before.skew_ms) / elapsed * 100.0;
      const double tolerance = (before.tolerance_ms + after.tolerance_ms) / elapsed * 100.0 + 1.0;
      measured.update(Json{{"expected_drift_pct", drift_pct_}, {"measured_drift_pct", rate_pct},
                           {"tolerance_pct", tolerance}, {"over_ms", elapsed}});
      if (std::fabs(rate_pct - drift_pct_) > tolerance) {
        return id + "'s clock drifts " + std::to_string(rate_pct) + " % over " + std::to_string(elapsed) +
               " ms, not the " + std::to_string(drift_pct_) + " % asked";
      }
      return std::nullopt;
    }
    if (auto e = put_clock(env, id, Json{{"mode", mode_}, {"offset_ms", offset_ms_}})) return e;
    if (auto e = read_failpoint(env, id, after)) return e;
    const double expected = mode_ == "jump" ? before.skew_ms + offset_ms_ : offset_ms_;
    const double tolerance = after.tolerance_ms + (mode_ == "jump" ? before.tolerance_ms : kResolutionMs);
    measured.update(Json{{"skew_before_ms", before.skew_ms}, {"expected_skew_ms", expected},
                         {"measured_skew_ms", after.skew_ms}, {"tolerance_ms", tolerance}});
    if (std::fabs(after.skew_ms - expected) > tolerance) {
      return id + "'s clock reads " + std::to_string(after.skew_ms) + " ms off the runner's, not " +
             std::to_string(expected) + " ms (tolerance " + std::to_string(tolerance) + " ms)";
    }
    return std::nullopt;
  }

  // The wall clock a probe process reads in the member's environment.
  std::optional<std::string> read_probe(FaultEnvironment& env, const std::string& id, Reading& r) {
    const auto before = std::chrono::system_clock::now();
    const ProbeOutput p = env.probe(id, {"date", "+%s.%N"}, kProbeTimeout);
    const auto after = std::chrono::system_clock::now();
    if (!p.error.empty()) return "probing " + id + "'s clock: " + p.error;
    double seconds = 0;
    try {
      seconds = std::stod(p.output);
    } catch (const std::exception&) {
      return "the clock probe in " + id + "'s environment printed '" + p.output + "'";
    }
    const auto to_ms = [](std::chrono::system_clock::time_point t) {
      return std::chrono::duration<double, std::milli>(t.time_since_epoch()).count();
    };
    const double mid_ms = (to_ms(before) + to_ms(after)) / 2;
    r.skew_ms = seconds * 1000.0 - mid_ms;
    r.tolerance_ms = (to_ms(after) - to_ms(before)) / 2 + kResolutionMs;
    r.at_ms = mid_ms;
    return std::nullopt;
  }

  std::optional<std::string> inject_faketime(FaultEnvironment& env, const std::string& id,
                                             const ClockAccess& access, Json& measured) {
    double& offset = faketime_offset_[id];
    const double expected = mode_ == "jump" ? offset + offset_ms_ : offset_ms_;
    if (auto e = write_faketime_offset(access.faketime_file, expected)) return e;
    offset = expected;
    Reading r;
    if (auto e = read_probe(env, id, r)) return e;
    measured.update(Json{{"way", "faketime"}, {"expected_skew_ms", expected}, {"measured_skew_ms", r.skew_ms},
                         {"tolerance_ms", r.tolerance_ms}, {"probe", "date +%s.%N"}});
    if (std::fabs(r.skew_ms - expected) > r.tolerance_ms) {
      return "a probe in " + id + "'s environment reads the clock " + std::to_string(r.skew_ms) +
             " ms off, not " + std::to_string(expected) + " ms";
    }
    return std::nullopt;
  }

  std::optional<std::string> heal_one(FaultEnvironment& env, const Done& d, Json& measured) {
    Reading r;
    if (d.access.way == ClockAccess::Way::failpoint) {
      if (!env.processes().is_running(d.id)) {
        measured["note"] = "not running: its clock failpoint ended with its process";
        return std::nullopt;
      }
      if (return_ == "slew") {
        if (auto e = slew_back(env, d.id, measured)) return e;
      } else if (auto e = put_clock(env, d.id, Json{{"mode", "off"}})) {
        return e;
      }
      if (auto e = read_failpoint(env, d.id, r)) return e;
    } else {
      if (auto e = write_faketime_offset(d.access.faketime_file, 0)) return e;
      faketime_offset_[d.id] = 0;
      if (auto e = read_probe(env, d.id, r)) return e;
    }
    measured.update(Json{{"measured_skew_ms", r.skew_ms}, {"tolerance_ms", r.tolerance_ms}});
    if (std::fabs(r.skew_ms) > r.tolerance_ms) {
      return d.id + "'s clock still reads " + std::to_string(r.skew_ms) + " ms off after the heal";
    }
    return std::nullopt;
  }

  // Slews the member's clock back and waits until it reads the true time.
  std::optional<std::string> slew_back(FaultEnvironment& env, const std::string& id, Json& measured) {
    const AdminAnswer a = env.admin(id, "PUT", "/admin/failpoints/clock", Json{{"mode", "slew"}, {"slew_pct", slew_pct_}});
    if (!a.ok()) return "slewing " + id + "'s clock back: " + a.error;
    const double left_ms = a.body.value("clock", Json::object()).value("slew_left_ms", 0.0);
    measured["slewed_ms"] = left_ms;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(left_ms) + 2000);
    while (true) {
      const AdminAnswer s = env.admin(id, "GET", "/admin/failpoints", nullptr);
      if (!s.ok()) return "reading " + id + "'s clock: " + s.error;
      if (s.body.value("clock", Json::object()).value("mode", "") == "off") return std::nullopt;
      if (process::termination_requested()) {
        // The run is being interrupted: return to the true time at once.
        put_clock(env, id, Json{{"mode", "off"}});
        measured["note"] = "interrupted while slewing: stepped back to the true time";
        return std::nullopt;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return id + "'s clock was still slewing " + std::to_string(left_ms + 2000) + " ms after the heal began";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // A partly applied injection is undone before its error is returned.
  void heal_done(FaultEnvironment& env) {
    for (const auto& d : done_) {
      Json ignored;
      heal_one(env, d, ignored);
    }
    done_.clear();
  }

  std::string mode_ = "offset";
  std::string return_ = "step";
  double slew_pct_ = 50;
  double offset_ms_ = 0;
  double drift_pct_ = 0;
  std::vector<Done> done_;
  std::map<std::string, double> faketime_offset_;
};

}  // namespace

const KindDef& clock_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "clock";
    spec.summary =
        "makes the target's clock wrong: an offset from the true time, a jump at one instant, or a "
        "drift (a rate); confirmed by the member's reported time, or a probe in its environment";
    spec.effect = Effect::degraded;
    spec.heal = "back to the true time, in a step or slewed; confirmed the same way";
    spec.backend = "failpoint or libfaketime";
    ParamSpec mode = param("mode", ParamType::choice, "offset, jump or drift", Json("offset"));
    mode.choices = {"offset", "jump", "drift"};
    ParamSpec offset = param("offset_ms", ParamType::number,
                             "how far ahead (negative: behind) the clock reads, or the step of a jump",
                             std::nullopt, true, -86'400'000, 86'400'000);
    offset.when_param = "mode";
    offset.when_values = {"offset", "jump"};
    ParamSpec drift = param("drift_pct", ParamType::number,
                            "how much faster (negative: slower) the clock runs, in percent", std::nullopt,
                            true, -90, 1000);
    drift.when_param = "mode";
    drift.when_values = {"drift"};
    ParamSpec back = param("return", ParamType::choice,
                           "how the heal returns to the true time: step (at once) or slew (no step; failpoint only)",
                           Json("step"));
    back.choices = {"step", "slew"};
    ParamSpec slew = param("slew_pct", ParamType::number,
                           "how much slower or faster the clock runs while it slews back, in percent", Json(50),
                           false, 1, 99);
    slew.when_param = "return";
    slew.when_values = {"slew"};
    spec.params = {mode, offset, drift, back, slew};
    spec.refused_topologies = {
        {"etcd",
         "etcd is a statically linked Go binary that reads the clock through the vDSO without libc, so "
         "libfaketime cannot shift it, and it has no clock failpoint"}};
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<ClockFault>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
