#include "chaos/proxy/toxics.hpp"

#include <cmath>
#include <sstream>

namespace faultline::proxy {

const char* to_string(Direction direction) {
  return direction == Direction::upstream ? "upstream" : "downstream";
}

const char* to_string(Distribution distribution) {
  switch (distribution) {
    case Distribution::uniform:
      return "uniform";
    case Distribution::normal:
      return "normal";
    case Distribution::pareto:
      return "pareto";
    case Distribution::paretonormal:
      return "paretonormal";
  }
  return "uniform";
}

std::optional<Distribution> parse_distribution(std::string_view name) {
  for (Distribution d : {Distribution::uniform, Distribution::normal, Distribution::pareto,
                         Distribution::paretonormal}) {
    if (name == to_string(d)) return d;
  }
  return std::nullopt;
}

namespace {

std::optional<std::string> check_ms(const char* field, double value) {
  if (!std::isfinite(value) || value < 0 || value > kMaxToxicMs) {
    std::ostringstream out;
    out << "toxic " << field << " is " << value << ": it must be a number of milliseconds in [0, "
        << kMaxToxicMs << "]";
    return out.str();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate(const Toxics& toxics) {
  if (auto e = check_ms("latency_ms", toxics.latency_ms)) return e;
  if (auto e = check_ms("jitter_ms", toxics.jitter_ms)) return e;
  if (auto e = check_ms("slow_close_ms", toxics.slow_close_ms)) return e;
  if (toxics.timeout_ms) {
    if (auto e = check_ms("timeout_ms", *toxics.timeout_ms)) return e;
  }
  return std::nullopt;
}

std::string describe(const Toxics& t) {
  std::ostringstream out;
  const char* sep = "";
  auto next = [&]() -> std::ostringstream& {
    out << sep;
    sep = ", ";
    return out;
  };
  if (delays(t)) {
    next() << "latency " << t.latency_ms << " ms";
    if (t.jitter_ms > 0) out << " jitter " << t.jitter_ms << " ms " << to_string(t.distribution);
  }
  if (t.bandwidth_bytes_per_s > 0) next() << "bandwidth " << t.bandwidth_bytes_per_s << " B/s";
  if (t.blackhole) next() << "blackhole";
  if (t.reset) next() << "reset";
  if (t.slow_close_ms > 0) next() << "slow close " << t.slow_close_ms << " ms";
  if (t.timeout_ms) next() << "timeout " << *t.timeout_ms << " ms";
  if (t.limit_bytes > 0) next() << "limit " << t.limit_bytes << " bytes";
  const std::string text = out.str();
  return text.empty() ? "none" : text;
}

}  // namespace faultline::proxy
