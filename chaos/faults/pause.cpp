// pause: SIGSTOP to each target's process group, confirmed when /proc reads
// state T; healed by SIGCONT, confirmed when it no longer does. The process
// keeps its memory, sockets and port: the kernel still accepts connections
// for it, but it answers nothing.
#include "chaos/faults/kinds.hpp"
#include "chaos/faults/deadlines.hpp"

namespace faultline::faults {
namespace {

constexpr auto kSignalDeadline = std::chrono::seconds(5);

class Pause final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    const Selection chosen =
        resolve_members(env, request_.target, std::chrono::steady_clock::now() + kResolveDeadline);
    if (chosen.ids.empty()) return no_match(request_);
    out.targets = chosen.ids;
    out.term = chosen.term;
    out.signal_t_ns = env.now_ns();
    for (const std::string& id : chosen.ids) {
      const int pid = env.processes().pid(id).value_or(-1);
      const auto paused =
          env.processes().pause(id, std::chrono::steady_clock::now() + kSignalDeadline);
      if (!paused.ok()) {
        heal_paused(env);
        return fault_label(request_) + "SIGSTOP of " + id + " was not confirmed: " + paused.error;
      }
      paused_.push_back(id);
      out.applied += (out.applied.empty() ? "" : "; ") +
                     std::string("SIGSTOP to process group of pid ") + std::to_string(pid);
      out.confirmed += (out.confirmed.empty() ? "" : "; ") + paused.confirmed;
    }
    out.detail["signal"] = "SIGSTOP";
    out.measured = Json{{"state", "T"}};
    return std::nullopt;
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    for (const std::string& id : paused_) {
      const int pid = env.processes().pid(id).value_or(-1);
      const auto resumed =
          env.processes().resume(id, std::chrono::steady_clock::now() + kSignalDeadline);
      if (!resumed.ok()) {
        return fault_label(request_) + "SIGCONT of " + id + " was not confirmed: " + resumed.error;
      }
      out.applied += (out.applied.empty() ? "" : "; ") +
                     std::string("SIGCONT to process group of pid ") + std::to_string(pid);
      out.confirmed += (out.confirmed.empty() ? "" : "; ") + resumed.confirmed;
    }
    return std::nullopt;
  }

 private:
  // A partly applied pause is undone before its error is returned.
  void heal_paused(FaultEnvironment& env) {
    for (const std::string& id : paused_) {
      env.processes().resume(id, std::chrono::steady_clock::now() + kSignalDeadline);
    }
    paused_.clear();
  }
  std::vector<std::string> paused_;
};

}  // namespace

const KindDef& pause_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "pause";
    spec.summary = "SIGSTOP to the target's whole process group: a stop-the-world pause, a hung VM";
    spec.effect = Effect::frozen;
    spec.heal = "SIGCONT";
    spec.heal_aliases = {"resume_after_ms"};
    spec.healed_at_end = true;
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<Pause>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
