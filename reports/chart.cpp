#include "reports/chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "reports/format.hpp"

namespace faultline::reports {
namespace {

constexpr double kWidth = 900;
constexpr double kLeft = 56;
constexpr double kRight = 16;
constexpr double kTop = 24;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr std::size_t kMaxBars = 450;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A 1-2-5 step giving at most `max_ticks` ticks over [0, span].
double nice_step(double span, int max_ticks) {
  if (span <= 0) return 1;
  const double raw = span / max_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

// Both charts share one time axis so that they line up on the page: whole
// (merged) buckets covering the run.
std::size_t merge_factor(std::size_t raw_buckets) {
  return std::max<std::size_t>(1, (raw_buckets + kMaxBars - 1) / kMaxBars);
}

std::int64_t axis_span_ns(const verify::History& h) {
  const auto raw = static_cast<std::size_t>(std::max<std::int64_t>(h.end_ns, 0) / verify::kBucketNs) + 1;
  const std::size_t merge = merge_factor(raw);
  return static_cast<std::int64_t>((raw + merge - 1) / merge * merge) * verify::kBucketNs;
}

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::round(v * 1000) / 1000);
  return buf;
}

std::string vline(double x, double top, double bottom, const std::string& color, const std::string& label) {
  return "<line x1='" + num(x) + "' y1='" + num(top) + "' x2='" + num(x) + "' y2='" + num(bottom) +
         "' stroke='" + color + "' stroke-width='2' stroke-dasharray='5 3'/>" + "<text x='" + num(x + 4) +
         "' y='" + num(top + 12) + "' fill='" + color + "' font-size='12'>" + html_escape(label) + "</text>";
}

}  // namespace

std::string throughput_svg(const verify::History& h, const verify::Verdict& v) {
  const auto& w = v.workload;
  const std::size_t raw = w.acked_writes.size();
  const std::size_t merge = merge_factor(raw);
  const std::size_t bars = (raw + merge - 1) / merge;
  std::vector<std::size_t> ok(bars, 0);
  std::vector<std::size_t> bad(bars, 0);
  for (std::size_t i = 0; i < raw; ++i) {
    ok[i / merge] += w.acked_writes[i];
    bad[i / merge] += w.failed_writes[i];
  }
  std::size_t peak = 1;
  for (std::size_t i = 0; i < bars; ++i) peak = std::max(peak, ok[i] + bad[i]);

  const double height = 280;
  const double bottom = height - 34;
  const double plot_height = bottom - kTop;
  const double span_s = static_cast<double>(bars * merge) * static_cast<double>(w.bucket_ns) / 1e9;
  auto x_of = [&](double seconds) { return kLeft + seconds / span_s * kPlotWidth; };
  auto y_of = [&](double count) { return bottom - count / static_cast<double>(peak) * plot_height; };
  const double bar_w = kPlotWidth / static_cast<double>(bars);

  std::string s = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + num(kWidth) + " " + num(height) +
                  "' width='100%' role='img' aria-label='acknowledged writes over time'>";
  for (const auto& f : h.faults) {
    const double x0 = x_of(static_cast<double>(f.inject_ns) / 1e9);
    const double x1 = x_of(static_cast<double>(f.heal_ns.value_or(h.end_ns)) / 1e9);
    s += "<rect x='" + num(x0) + "' y='" + num(kTop) + "' width='" + num(std::max(1.0, x1 - x0)) + "' height='" +
         num(plot_height) + "' fill='#f4b6b6' fill-opacity='0.45'><title>" +
         html_escape("fault " + std::to_string(f.index) + " (" + f.kind + ")") + "</title></rect>";
  }
  const double y_step = std::max(1.0, std::round(nice_step(static_cast<double>(peak), 5)));
  for (double y = 0; y <= static_cast<double>(peak) + 1e-9; y += y_step) {
    s += "<line x1='" + num(kLeft) + "' y1='" + num(y_of(y)) + "' x2='" + num(kLeft + kPlotWidth) + "' y2='" +
         num(y_of(y)) + "' stroke='#e5e7eb'/><text x='" + num(kLeft - 6) + "' y='" + num(y_of(y) + 4) +
         "' font-size='11' text-anchor='end' fill='#555'>" + tick_label(y) + "</text>";
  }
  for (std::size_t i = 0; i < bars; ++i) {
    const double x = kLeft + static_cast<double>(i) * bar_w;
    const double ok_top = y_of(static_cast<double>(ok[i]));
    if (ok[i] > 0) {
      s += "<rect x='" + num(x) + "' y='" + num(ok_top) + "' width='" + num(std::max(0.5, bar_w - 0.5)) +
           "' height='" + num(bottom - ok_top) + "' fill='#2e9e5b'/>";
    }
    if (bad[i] > 0) {
      const double bad_top = y_of(static_cast<double>(ok[i] + bad[i]));
      s += "<rect x='" + num(x) + "' y='" + num(bad_top) + "' width='" + num(std::max(0.5, bar_w - 0.5)) +
           "' height='" + num(ok_top - bad_top) + "' fill='#d83b3b'/>";
    }
  }
  s += "<line x1='" + num(kLeft) + "' y1='" + num(bottom) + "' x2='" + num(kLeft + kPlotWidth) + "' y2='" +
       num(bottom) + "' stroke='#333'/>";
  const double x_step = nice_step(span_s, 10);
  for (double t = 0; t <= span_s + 1e-9; t += x_step) {
    s += "<line x1='" + num(x_of(t)) + "' y1='" + num(bottom) + "' x2='" + num(x_of(t)) + "' y2='" +
         num(bottom + 5) + "' stroke='#333'/><text x='" + num(x_of(t)) + "' y='" + num(bottom + 18) +
         "' font-size='11' text-anchor='middle' fill='#555'>" + tick_label(t) + "</text>";
  }
  s += "<text x='" + num(kLeft + kPlotWidth / 2) + "' y='" + num(height - 2) +
       "' font-size='12' text-anchor='middle' fill='#333'>run time (s)</text>";
  s += "<text x='12' y='" + num(kTop + plot_height / 2) + "' font-size='12' fill='#333' transform='rotate(-90 12 " +
       num(kTop + plot_height / 2) + ")' text-anchor='middle'>writes / " +
       std::to_string(static_cast<long long>(merge) * w.bucket_ns / 1'000'000) + " ms</text>";
  if (v.rto.fault_ns) {
    s += vline(x_of(static_cast<double>(*v.rto.fault_ns) / 1e9), kTop, bottom, "#b91c1c", "t_f");
  }
  if (v.rto.recovery_ns) {
    s += vline(x_of(static_cast<double>(*v.rto.recovery_ns) / 1e9), kTop, bottom, "#1d4ed8", "t_r");
  }
  s += "</svg>";
  return s;
}

std::string timeline_svg(const verify::History& h) {
  if (h.samples.empty() || h.end_ns <= 0) return {};
  std::map<std::string, std::vector<const verify::MemberSample*>> by_member;
  for (const auto& sample : h.samples) by_member[sample.member].push_back(&sample);
  const double row = 22;
  const double height = kTop + row * static_cast<double>(by_member.size()) + 10;
  const double span = static_cast<double>(axis_span_ns(h));
  auto x_of = [&](std::int64_t t) { return kLeft + static_cast<double>(t) / span * kPlotWidth; };

  std::string s = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + num(kWidth) + " " + num(height) +
                  "' width='100%' role='img' aria-label='member roles over time'>";
  double y = kTop;
  for (const auto& [member, samples] : by_member) {
    s += "<text x='" + num(kLeft - 6) + "' y='" + num(y + 15) + "' font-size='12' text-anchor='end'>" +
         html_escape(member) + "</text>";
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const auto& cur = *samples[i];
      std::size_t j = i + 1;  // merge runs of identical samples into one band
      while (j < samples.size() && samples[j]->up == cur.up && samples[j]->role == cur.role &&
             samples[j]->term == cur.term) {
        ++j;
      }
      const std::int64_t until = j < samples.size() ? samples[j]->t_ns : h.end_ns;
      const std::string role = cur.up ? cur.role.value_or("unknown") : "down";
      const char* color = role == "leader"      ? "#f59e0b"
                          : role == "candidate" ? "#a855f7"
                          : role == "follower"  ? "#cbd5e1"
                          : role == "down"      ? "#374151"
                                                : "#e5e7eb";
      const std::string term = cur.term ? " term " + std::to_string(*cur.term) : "";
      s += "<rect x='" + num(x_of(cur.t_ns)) + "' y='" + num(y + 2) + "' width='" +
           num(std::max(0.5, x_of(until) - x_of(cur.t_ns))) + "' height='" + num(row - 6) + "' fill='" + color +
           "'><title>" + html_escape(member + ": " + role + term + " from " + seconds_text(cur.t_ns)) +
           "</title></rect>";
      i = j - 1;
    }
    y += row;
  }
  s += "</svg>";
  return s;
}

}  // namespace faultline::reports
