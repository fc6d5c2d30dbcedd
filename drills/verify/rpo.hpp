// Lost acknowledged writes (RPO), checked against the readback events taken
// after recovery. The exact definitions are in docs/metrics.md.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drills/verify/history.hpp"

namespace faultline::verify {

struct LostWrite {
  std::string op;
  std::string key;
  Json value;
  std::int64_t invoke_ns = 0;
  std::int64_t complete_ns = 0;
  std::string reason;  // "key not found", "overwritten by older write op 7", ...
};

struct RpoResult {
  bool measured = false;  // false: the journal holds no readback at all
  std::size_t acknowledged = 0;  // puts with result ok
  std::size_t checked = 0;       // of those, the ones whose key was read back
  std::vector<LostWrite> lost;   // by ack (complete) time, oldest first
  // t_f minus the ack time of the oldest lost write; 0 when nothing was lost;
  // none when not measured or no fault was injected.
  std::optional<double> window_ms;
  std::string detail;  // why it was not measured, when it was not
  std::optional<double> lost_count() const {
    return measured ? std::optional<double>(static_cast<double>(lost.size())) : std::nullopt;
  }
};

RpoResult measure_rpo(const History& history);

}  // namespace faultline::verify
