#include "drills/runner/op_window.hpp"

#include <algorithm>
#include <vector>

#include "drills/verify/objectives.hpp"
#include "drills/verify/workload.hpp"

namespace faultline::runner {
namespace {

std::string op_key(const Json& event) {
  const auto it = event.find("op");
  return it == event.end() ? std::string() : it->dump();
}

bool counts(const std::string& of, bool put) { return of == "all" || (of == "writes") == put; }

}  // namespace

void OpWindow::on_event(const std::string& kind, const Json& event) {
  const std::int64_t t = event.value("t_ns", std::int64_t{0});
  std::lock_guard lock(mu_);
  if (kind == "op.invoke") {
    if (!first_invoke_ns_) first_invoke_ns_ = t;
    open_[op_key(event)] = t;
    return;
  }
  if (kind != "op.complete") return;
  const auto it = open_.find(op_key(event));
  const std::int64_t invoked = it == open_.end() ? t : it->second;
  if (it != open_.end()) open_.erase(it);
  done_.push_back({t, event.value("f", std::string()) == "put", event.value("result", std::string()) == "ok",
                   static_cast<double>(t - invoked) / 1e6});
  // Completions arrive nearly in order; what is older than the longest
  // window is of no use any more.
  while (!done_.empty() && done_.front().complete_ns < t - keep_ns_) done_.pop_front();
}

std::optional<ProbeOutcome> OpWindow::evaluate(const std::string& kind, const Json& params, std::int64_t now_ns) const {
  const std::int64_t window = params.value("window_ms", std::int64_t{1000}) * 1'000'000;
  const std::string of = params.value("of", std::string("writes"));
  std::vector<double> latencies;
  std::size_t ok = 0;
  {
    std::lock_guard lock(mu_);
    if (!first_invoke_ns_ || now_ns < *first_invoke_ns_ + window) return std::nullopt;
    for (const Done& d : done_) {
      if (d.complete_ns <= now_ns - window || d.complete_ns > now_ns || !counts(of, d.put)) continue;
      latencies.push_back(d.latency_ms);
      ok += d.ok;
    }
  }
  const std::string what = of == "all" ? "operations" : of;
  const std::string over = " over the last " + verify::format_number(static_cast<double>(window) / 1e6) + " ms";
  ProbeOutcome o;
  if (kind == "success_rate") {
    const double min = params.value("min", 1.0);
    if (latencies.empty()) return failed_sample("no " + what + " completed" + over);
    const double rate = static_cast<double>(ok) / static_cast<double>(latencies.size());
    o.value = rate;
    o.pass = rate >= min;
    if (!o.pass) {
      o.detail = "success rate " + verify::format_number(rate * 100) + " % (" + std::to_string(ok) + " of " +
                 std::to_string(latencies.size()) + " " + what + " ok)" + over + ", below " +
                 verify::format_number(min * 100) + " %";
    }
    return o;
  }
  const double p = params.value("percentile", 99.0);
  const double max_ms = params.value("max_ms", 0.0);
  const auto pct = verify::percentile(latencies, std::max(p, 1e-9));
  if (!pct) return failed_sample("no " + what + " completed" + over);
  o.value = *pct;
  o.pass = *pct <= max_ms;
  if (!o.pass) {
    o.detail = "p" + verify::format_number(p) + " latency " + verify::format_number(*pct) + " ms of " +
               std::to_string(latencies.size()) + " " + what + over + ", above " + verify::format_number(max_ms) +
               " ms";
  }
  return o;
}

}  // namespace faultline::runner
