#include "drills/verify/lin/history_builder.hpp"

#include <algorithm>
#include <utility>

namespace faultline::lin {

namespace {

Operation from_invocation(const Invocation& inv) {
  Operation op;
  op.key = inv.key;
  op.process = inv.process;
  op.kind = inv.kind;
  op.value = inv.kind == OpKind::Read ? Value{} : inv.value;
  op.expected = inv.expected;
  op.invoke_time = inv.time;
  op.invoke_line = inv.line;
  return op;
}

}  // namespace

std::optional<std::string> HistoryBuilder::invoke(Invocation inv) {
  auto it = pending_.find(inv.pair_id);
  if (it != pending_.end()) {
    return "invocation by " + inv.pair_id + " while its operation invoked at line " +
           std::to_string(it->second.line) + " is still pending";
  }
  std::string id = inv.pair_id;
  pending_.emplace(std::move(id), std::move(inv));
  return std::nullopt;
}

std::optional<std::string> HistoryBuilder::complete(const Completion& done) {
  auto it = pending_.find(done.pair_id);
  if (it == pending_.end()) {
    return "completion for " + done.pair_id + " with no pending invocation";
  }
  Operation op = from_invocation(it->second);
  pending_.erase(it);
  op.complete_time = done.time;
  op.complete_line = done.line;
  switch (done.type) {
    case CompletionType::Ok:
      op.outcome = Outcome::Ok;
      if (op.kind == OpKind::Read) op.value = done.value;
      break;
    case CompletionType::Fail:
      if (op.kind != OpKind::Cas) return std::nullopt;  // took no effect
      op.outcome = Outcome::Fail;
      break;
    case CompletionType::Info:
      if (op.kind == OpKind::Read) return std::nullopt;
      op.outcome = Outcome::Unknown;
      break;
  }
  history_.ops.push_back(std::move(op));
  return std::nullopt;
}

History HistoryBuilder::finish() {
  for (auto& [id, inv] : pending_) {
    if (inv.kind == OpKind::Read) continue;
    Operation op = from_invocation(inv);
    op.outcome = Outcome::Unknown;
    history_.ops.push_back(std::move(op));
  }
  pending_.clear();
  // Completion order is not invocation order; evidence reads best by invocation.
  // Sorting a permutation of small keys, then moving each operation once, is
  // far cheaper than moving operations (and their strings) in a merge sort.
  struct Key {
    std::int64_t time;
    std::size_t line;
    std::size_t index;
    bool operator<(const Key& o) const {
      if (time != o.time) return time < o.time;
      if (line != o.line) return line < o.line;
      return index < o.index;  // keeps the former stable order on full ties
    }
  };
  std::vector<Key> order(history_.ops.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = Key{history_.ops[i].invoke_time, history_.ops[i].invoke_line, i};
  }
  std::sort(order.begin(), order.end());
  std::vector<Operation> sorted;
  sorted.reserve(order.size());
  for (const Key& k : order) sorted.push_back(std::move(history_.ops[k.index]));
  history_.ops = std::move(sorted);
  History out = std::move(history_);
  history_ = History{};
  history_.time_unit = out.time_unit;
  return out;
}

}  // namespace faultline::lin
