// RapidCheck generator of fault schedules. The Schedule itself is the
// generated value, so RapidCheck shrinks it: drops actions, moves them
// earlier, picks smaller members and milder parameters.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <ostream>

#include "cluster/sim/schedule.hpp"

namespace faultline::sim {
// How RapidCheck prints a counterexample: the schedule's text form.
inline void showValue(const Schedule& s, std::ostream& os) { os << "\n" << to_text(s); }
}  // namespace faultline::sim

namespace faultline::sim::testing {

inline rc::Gen<Action> gen_action(std::size_t members, std::int64_t duration_ms) {
  const auto m = static_cast<int>(members);
  return rc::gen::map(
      rc::gen::tuple(rc::gen::inRange<std::int64_t>(0, duration_ms), rc::gen::inRange(0, 13),
                     rc::gen::inRange(1, m + 1), rc::gen::inRange(0, 1 << m), rc::gen::inRange(0, 1000)),
      [members](const std::tuple<std::int64_t, int, int, int, int>& t) {
        const auto& [at, kind, member, mask, value] = t;
        Action a;
        a.at_ms = at;
        a.member = static_cast<raft::NodeId>(member);
        switch (kind) {
          case 0: a.kind = ActionKind::crash_leader; break;
          case 1: a.kind = ActionKind::crash; break;
          case 2: a.kind = ActionKind::restart_all; break;
          case 3: a.kind = ActionKind::restart; break;
          case 4:
          case 5: {
            a.kind = ActionKind::partition;
            std::vector<raft::NodeId> side;
            for (raft::NodeId i = 1; i <= members; ++i) {
              if ((mask >> (i - 1)) & 1) side.push_back(i);
            }
            a.cut = split_links(side, members);
            if (kind == 5) {  // one-way
              std::erase_if(a.cut, [&](const Link& l) {
                return std::find(side.begin(), side.end(), l.first) == side.end();
              });
            }
            break;
          }
          case 6: a.kind = ActionKind::isolate_leader; break;
          case 7: a.kind = ActionKind::heal; break;
          case 8: a.kind = ActionKind::drop; a.a = value % 400; break;
          case 9: a.kind = ActionKind::duplicate; a.a = value % 200; break;
          case 10: a.kind = ActionKind::slow; a.a = value % 20 + 1; a.b = a.a + value % 80; break;
          case 11: a.kind = ActionKind::reorder; a.a = value; break;
          default: a.kind = ActionKind::drift; a.a = (value - 500) * 400; break;
        }
        return a;
      });
}

inline rc::Gen<Schedule> gen_schedule(std::size_t members, std::int64_t duration_ms, std::size_t max_actions) {
  return rc::gen::map(rc::gen::resize(static_cast<int>(max_actions),
                                      rc::gen::container<std::vector<Action>>(gen_action(members, duration_ms))),
                      [](std::vector<Action> actions) {
                        std::stable_sort(actions.begin(), actions.end(),
                                         [](const Action& x, const Action& y) { return x.at_ms < y.at_ms; });
                        return Schedule{std::move(actions)};
                      });
}

}  // namespace faultline::sim::testing
