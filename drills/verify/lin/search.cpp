#include "drills/verify/lin/search.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>

namespace faultline::lin {

namespace {

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::string budget_text(std::size_t bytes) {
  if (bytes >= (1u << 20)) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

KeySearch::KeySearch(KeyHistory& history, MemoryBudget& memory, std::chrono::steady_clock::time_point deadline)
    : h_(history),
      memory_(memory),
      deadline_(deadline),
      bits_((history.ops.size() + 63) / 64, 0),
      zobrist_(history.ops.size()),
      memo_((history.ops.size() + 63) / 64, memory) {
  for (std::size_t i = 0; i < zobrist_.size(); ++i) zobrist_[i] = splitmix(i);
  for (const CompiledOp& op : h_.ops) known_left_ += op.outcome != Outcome::Unknown;
  stack_.reserve(h_.ops.size());
  observer_.resize(h_.ops.size());
  for (std::size_t i = 0; i < h_.ops.size(); ++i) {
    const CompiledOp& c = h_.ops[i];
    observer_[i] = c.kind == OpKind::Read || (c.kind == OpKind::Cas && c.outcome == Outcome::Fail);
  }
  // Unknown-outcome ops with equal kind and arguments are interchangeable
  // once both are invoked (both return at +infinity), so only the orders
  // that place them in invocation order are explored.
  twin_before_.assign(h_.ops.size(), kNone);
  std::map<std::tuple<OpKind, std::uint32_t, std::uint32_t>, std::uint32_t> last_twin;
  std::vector<std::uint32_t> by_call(h_.ops.size());
  std::iota(by_call.begin(), by_call.end(), 0u);
  std::stable_sort(by_call.begin(), by_call.end(),
                   [this](std::uint32_t a, std::uint32_t b) { return h_.call[a] < h_.call[b]; });
  for (std::uint32_t op : by_call) {
    const CompiledOp& c = h_.ops[op];
    if (c.outcome != Outcome::Unknown) continue;
    auto [it, added] = last_twin.try_emplace({c.kind, c.a, c.b}, op);
    if (!added) {
      twin_before_[op] = it->second;
      it->second = op;
    }
  }
  state_ = h_.states.initial();
  build_list();
}

// Head sentinel 0, then calls and returns in time order (calls first on a
// tie: touching intervals count as concurrent), then the tail sentinel.
void KeySearch::build_list() {
  const auto n = static_cast<std::uint32_t>(h_.ops.size());
  struct Event {
    std::int64_t time;
    std::uint32_t is_return;
    std::uint32_t op;
  };
  std::vector<Event> events;
  events.reserve(2 * n);
  for (std::uint32_t i = 0; i < n; ++i) {
    events.push_back({h_.call[i], 0, i});
    events.push_back({h_.ret[i], 1, i});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.is_return != b.is_return) return a.is_return < b.is_return;
    return a.op < b.op;
  });
  const std::uint32_t tail = 2 * n + 1;
  nodes_.assign(tail + 1, Node{});
  std::vector<std::uint32_t> return_node(n);
  for (std::uint32_t i = 0; i < 2 * n; ++i) {
    if (events[i].is_return) return_node[events[i].op] = i + 1;
  }
  nodes_[0] = {kNone, 1, kNone, kNone};
  for (std::uint32_t i = 0; i < 2 * n; ++i) {
    const Event& e = events[i];
    nodes_[i + 1] = {i, i + 2, e.op, e.is_return ? kNone : return_node[e.op]};
  }
  nodes_[tail] = {tail - 1, kNone, kNone, kNone};
}

KeyOutcome KeySearch::finish(Verdict verdict, std::string reason) {
  KeyOutcome out;
  out.verdict = verdict;
  out.reason = std::move(reason);
  out.states = memo_.size();
  if (verdict == Verdict::Violation) out.longest = std::move(longest_);
  return out;
}

KeySearch::Try KeySearch::try_op(std::uint32_t entry, bool forced) {
  const Node& node = nodes_[entry];
  const std::uint32_t op = node.op;
  const std::uint32_t twin = twin_before_[op];
  if (twin != kNone && ((bits_[twin >> 6] >> (twin & 63)) & 1) == 0) return Try::Illegal;
  std::uint32_t next_state = 0;
  if (!step(h_.ops[op], state_, next_state, h_.states)) return Try::Illegal;
  const std::uint64_t bit = 1ull << (op & 63);
  bits_[op >> 6] |= bit;
  const std::uint64_t next_hash = set_hash_ ^ zobrist_[op];
  const auto added =
      memo_.insert(splitmix(next_hash ^ (next_state * 0xD6E8FEB86659FD93ull)), next_state, bits_.data());
  if (added != MemoSet::Insert::Added) {
    bits_[op >> 6] &= ~bit;
    return added == MemoSet::Insert::Present ? Try::Seen : Try::OutOfMemory;
  }
  stack_.push_back({entry, state_, forced});
  state_ = next_state;
  set_hash_ = next_hash;
  unlink(entry);
  unlink(node.match);
  if (h_.ops[op].outcome != Outcome::Unknown && --known_left_ == 0) return Try::AllPlaced;
  if (stack_.size() > longest_.size()) {
    // Only the part of the stack that differs from the recorded prefix is
    // copied, so a search without backtracking stays linear.
    longest_.resize(stack_.size());
    for (std::size_t i = agree_; i < stack_.size(); ++i) longest_[i] = nodes_[stack_[i].node].op;
    agree_ = stack_.size();
  }
  return Try::Linearized;
}

bool KeySearch::backtrack() {
  while (!stack_.empty()) {
    const Frame top = stack_.back();
    stack_.pop_back();
    agree_ = std::min(agree_, stack_.size());
    const Node& call = nodes_[top.node];
    state_ = top.state;
    set_hash_ ^= zobrist_[call.op];
    bits_[call.op >> 6] &= ~(1ull << (call.op & 63));
    if (h_.ops[call.op].outcome != Outcome::Unknown) ++known_left_;
    relink(call.match);
    relink(top.node);
    // A forced observer had no alternative worth trying: its failure is the
    // failure of the configuration below it too.
    if (!top.forced) {
      entry_ = call.next;
      return true;
    }
  }
  return false;
}

std::optional<KeyOutcome> KeySearch::run(std::uint64_t max_steps) {
  // Once every operation with a known outcome is placed, the unknown ones
  // can follow in any order: each is legal in every state.
  if (known_left_ == 0) return finish(Verdict::Ok, "");
  for (std::uint64_t steps = 0; steps < max_steps; ++steps) {
    if ((steps & 0x3FF) == 0x3FF && std::chrono::steady_clock::now() > deadline_) {
      return finish(Verdict::Unknown, "time budget exhausted after " + std::to_string(memo_.size()) + " states");
    }
    Try t = Try::Illegal;
    if (fresh_) {
      // An observer (a read, a failed cas) that is legal now can be placed
      // first without loss: it changes no state, and every op that must
      // precede it is already placed. So it is the only choice tried here.
      fresh_ = false;
      for (std::uint32_t e = nodes_[0].next; nodes_[e].match != kNone; e = nodes_[e].next) {
        if (!observer_[nodes_[e].op]) continue;
        t = try_op(e, /*forced=*/true);
        if (t != Try::Illegal) break;
      }
      if (t == Try::Illegal) entry_ = nodes_[0].next;
    } else if (nodes_[entry_].match == kNone) {
      // A return whose call is still pending: that call must come earlier.
      if (!backtrack()) return finish(Verdict::Violation, "");
      continue;
    } else {
      const std::uint32_t entry = entry_;
      entry_ = nodes_[entry].next;
      // Observers were tried when this configuration was first reached.
      if (!observer_[nodes_[entry].op]) t = try_op(entry, /*forced=*/false);
      if (t == Try::Seen) continue;  // a sibling already explored
    }
    switch (t) {
      case Try::Linearized: fresh_ = true; break;
      case Try::Illegal: break;
      case Try::AllPlaced: return finish(Verdict::Ok, "");
      case Try::OutOfMemory:
        return finish(Verdict::Unknown, "memory budget of " + budget_text(memory_.limit()) + " exhausted after " +
                                            std::to_string(memo_.size()) + " states");
      case Try::Seen:
        // The forced observer's configuration already failed, so this one fails.
        if (!backtrack()) return finish(Verdict::Violation, "");
        break;
    }
  }
  return std::nullopt;
}

}  // namespace faultline::lin
