#include "cluster/coordinator/failure_detector.hpp"

#include <algorithm>
#include <cmath>

namespace faultline::coordinator {

const char* to_string(DetectorKind kind) { return kind == DetectorKind::adaptive ? "adaptive" : "fixed"; }

FailureDetector::FailureDetector(DetectorSettings settings) : settings_(settings) {
  settings_.window = std::max<std::size_t>(settings_.window, 2);
  settings_.min_samples = std::clamp<std::size_t>(settings_.min_samples, 2, settings_.window);
  settings_.misses = std::max(settings_.misses, 1);
  intervals_.reserve(settings_.window);
}

void FailureDetector::heartbeat(std::int64_t now_ms) {
  if (last_ms_ && now_ms >= *last_ms_) {
    const auto interval = static_cast<double>(now_ms - *last_ms_);
    if (interval <= static_cast<double>(settings_.node_timeout_ms)) {
      if (intervals_.size() < settings_.window) {
        intervals_.push_back(interval);
      } else {
        intervals_[next_] = interval;
        next_ = (next_ + 1) % settings_.window;
      }
    }
  }
  if (!last_ms_ || now_ms > *last_ms_) last_ms_ = now_ms;
}

void FailureDetector::reset() {
  last_ms_.reset();
  intervals_.clear();
  next_ = 0;
}

double FailureDetector::mean_ms() const {
  if (intervals_.empty()) return 0;
  double sum = 0;
  for (double v : intervals_) sum += v;
  return sum / static_cast<double>(intervals_.size());
}

double FailureDetector::stddev_ms() const {
  if (intervals_.size() < 2) return 0;
  const double mean = mean_ms();
  double squares = 0;
  for (double v : intervals_) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(intervals_.size() - 1));
}

std::int64_t FailureDetector::bound_ms() const {
  const std::int64_t upper = settings_.node_timeout_ms;
  if (settings_.kind == DetectorKind::fixed || intervals_.size() < settings_.min_samples) return upper;
  const double mean = mean_ms();
  const double learned = mean + settings_.k * stddev_ms();
  const double missed = static_cast<double>(settings_.misses) * mean;
  const auto bound = static_cast<std::int64_t>(std::ceil(std::max(learned, missed)));
  return std::clamp<std::int64_t>(bound, 1, upper);
}

bool FailureDetector::suspected(std::int64_t now_ms) const {
  return last_ms_ && now_ms - *last_ms_ > bound_ms();
}

}  // namespace faultline::coordinator
