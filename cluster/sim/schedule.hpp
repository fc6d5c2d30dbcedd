// Fault schedules: timed actions a simulated run carries out, as a value that
// can be generated from a seed, printed, parsed back and replayed.
//
// Text form, one action a line (`#` starts a comment):
//   at <ms> crash <member>|leader      power loss of a member (between ticks)
//   at <ms> restart <member>|all       new Node from the member's recovered storage
//   at <ms> partition a>b a>c ...      cut these directed links (replaces the cut set)
//   at <ms> isolate leader             cut every link to and from the current leader
//   at <ms> heal                       no links cut
//   at <ms> drop <per-mille>           message loss on every link
//   at <ms> duplicate <per-mille>      message duplication on every link
//   at <ms> reorder <per-mille>        messages that may overtake earlier ones on their link
//                                      (links are FIFO otherwise, as over TCP)
//   at <ms> delay <min> <max>          one-way delay range (ms) of every link
//   at <ms> slow <member> <min> <max>  delay range of the links to and from a member
//   at <ms> drift <member> <ppm>       the member's clock runs at rate 1 + ppm/1e6
// A schedule file adds header lines: `seed S`, `members N`, `duration_ms T`,
// `bug NAME`, `timer wall|ticks` (raft::ElectionTimer), so that it replays exactly with `faultline sim --schedule FILE`.
//
// Thread-safety: free functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cluster/raft/types.hpp"
#include "cluster/sim/config.hpp"

namespace faultline::sim {

enum class ActionKind {
  crash,
  crash_leader,
  restart,
  restart_all,
  partition,
  isolate_leader,
  heal,
  drop,
  duplicate,
  reorder,
  delay,
  slow,
  drift
};

using Link = std::pair<raft::NodeId, raft::NodeId>;  // (from, to)

struct Action {
  std::int64_t at_ms = 0;
  ActionKind kind = ActionKind::heal;
  raft::NodeId member = 0;  // crash, restart, slow, drift
  std::vector<Link> cut;    // partition
  std::int64_t a = 0;       // drop/duplicate per-mille, delay/slow min, drift ppm
  std::int64_t b = 0;       // delay/slow max
  friend bool operator==(const Action&, const Action&) = default;
};

// Actions in time order (ties keep their order).
struct Schedule {
  std::vector<Action> actions;
  friend bool operator==(const Schedule&, const Schedule&) = default;
};

std::string to_string(const Action& action);  // one line, no newline
std::string to_text(const Schedule& schedule);
// A self-contained replay file: header lines from `config` and the actions.
std::string to_file_text(const SimConfig& config, const Schedule& schedule);

std::string_view to_string(raft::PlantedBug bug);
std::optional<raft::PlantedBug> parse_planted_bug(std::string_view name);

struct ParsedSchedule {
  SimConfig config;  // the given base with the file's header lines applied
  Schedule schedule;
  std::string error;  // non-empty: "line N: what is wrong"
};
// Parses either form (header lines optional); actions are sorted by time.
ParsedSchedule parse_schedule(std::string_view text, SimConfig base = {});

// Symmetric partition: every link between `side` and the other members, both ways.
std::vector<Link> split_links(const std::vector<raft::NodeId>& side, std::size_t members);

// A random schedule over members 1..members within [0, duration_ms), from one seed.
Schedule generate_schedule(std::uint64_t seed, std::size_t members, std::int64_t duration_ms);

}  // namespace faultline::sim
