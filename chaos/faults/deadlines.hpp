// How long a fault waits on a member before it gives up and says so: the
// faults that kill, resolve or restart members share these bounds, so a
// stuck member stops every kind of fault after the same time.
#pragma once

#include <chrono>

namespace faultline::faults {

// Resolving a target selector against the members' latest reports.
inline constexpr auto kResolveDeadline = std::chrono::seconds(5);
// A SIGKILLed member's exit being reaped.
inline constexpr auto kKillDeadline = std::chrono::seconds(5);
// A restarted member answering its health check again.
inline constexpr auto kRestartDeadline = std::chrono::seconds(15);

}  // namespace faultline::faults
