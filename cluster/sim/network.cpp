// SimNetwork: delays, loss, duplication and cut links.
#include "cluster/sim/network.hpp"

#include <algorithm>

namespace faultline::sim {

namespace {
bool chance(std::uint32_t per_mille, std::mt19937_64& rng) {
  // No draw at the extremes: a loss-free run spends no randomness here.
  if (per_mille == 0) return false;
  if (per_mille >= 1000) return true;
  return SimNetwork::uniform(0, 999, rng) < static_cast<std::int64_t>(per_mille);
}
}  // namespace

void SimNetwork::set_member_delay(raft::NodeId member, std::size_t members, std::int64_t lo,
                                  std::int64_t hi) {
  for (raft::NodeId other = 1; other <= members; ++other) {
    if (other == member) continue;
    link_delay_[{member, other}] = {lo, hi};
    link_delay_[{other, member}] = {lo, hi};
  }
}

std::int64_t SimNetwork::draw_delay(raft::NodeId from, raft::NodeId to, std::mt19937_64& rng) const {
  std::int64_t lo = defaults_.delay_min_ms;
  std::int64_t hi = defaults_.delay_max_ms;
  if (link_delay_.empty()) {
    // The common case: no `slow` override, no map lookup.
  } else if (auto it = link_delay_.find({from, to}); it != link_delay_.end()) {
    lo = it->second.first;
    hi = it->second.second;
  }
  if (hi <= lo) return lo;
  return uniform(lo, hi, rng);
}

SendOutcome SimNetwork::send(raft::Message&& message, std::int64_t now_ms, std::mt19937_64& rng) {
  release_held();
  if (!cut_.empty() && is_cut(message.from, message.to)) return SendOutcome::cut;
  if (chance(defaults_.drop_per_mille, rng)) return SendOutcome::dropped;
  const bool twice = chance(defaults_.duplicate_per_mille, rng);
  const std::int64_t first = due_ms(message.from, message.to, now_ms, rng);
  if (twice) enqueue(due_ms(message.from, message.to, now_ms, rng), raft::Message(message));
  enqueue(first, std::move(message));
  return twice ? SendOutcome::duplicated : SendOutcome::queued;
}

std::int64_t& SimNetwork::link_tail(raft::NodeId from, raft::NodeId to) {
  const std::size_t need = static_cast<std::size_t>(std::max(from, to)) + 1;
  if (need > tails_dim_) {
    std::vector<std::int64_t> grown(need * need, 0);
    for (std::size_t f = 0; f < tails_dim_; ++f) {
      for (std::size_t t = 0; t < tails_dim_; ++t) grown[f * need + t] = tails_[f * tails_dim_ + t];
    }
    tails_ = std::move(grown);
    tails_dim_ = need;
  }
  return tails_[from * tails_dim_ + to];
}

std::int64_t SimNetwork::due_ms(raft::NodeId from, raft::NodeId to, std::int64_t now_ms, std::mt19937_64& rng) {
  // Never deliver in the same ms it was sent: the receiver acts on the next step.
  const std::int64_t due = now_ms + std::max<std::int64_t>(1, draw_delay(from, to, rng));
  if (chance(defaults_.reorder_per_mille, rng)) return due;
  std::int64_t& tail = link_tail(from, to);
  // Equal due times deliver in send order, so FIFO needs no later ms.
  tail = std::max(tail, due);
  return tail;
}

void SimNetwork::enqueue(std::int64_t at_ms, raft::Message&& message) {
  // Due before the next ms to drain (a caller that sends "in the past"):
  // delivered by the next call, after what is already due then.
  at_ms = std::max(at_ms, drain_ms_);
  const auto ahead = static_cast<std::size_t>(at_ms - drain_ms_);
  if (ahead >= wheel_.size()) grow_wheel(ahead + 1);
  std::size_t slot = slots_.size();
  if (free_slots_.empty()) {
    slots_.push_back(std::move(message));
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot] = std::move(message);
  }
  wheel_[static_cast<std::size_t>(at_ms) & (wheel_.size() - 1)].push_back(slot);
  ++in_flight_;
}

void SimNetwork::grow_wheel(std::size_t span) {
  std::size_t size = wheel_.size();
  while (size < span) size *= 2;
  std::vector<std::vector<std::size_t>> grown(size);
  // Every bucket of the old wheel is one ms of [drain_ms_, drain_ms_ + old size).
  for (std::size_t k = 0; k < wheel_.size(); ++k) {
    const std::int64_t t = drain_ms_ + static_cast<std::int64_t>(k);
    std::vector<std::size_t>& old = wheel_[static_cast<std::size_t>(t) & (wheel_.size() - 1)];
    const std::size_t from = k == 0 ? cursor_ : 0;
    std::vector<std::size_t>& to = grown[static_cast<std::size_t>(t) & (size - 1)];
    to.insert(to.end(), old.begin() + static_cast<std::ptrdiff_t>(from), old.end());
  }
  wheel_ = std::move(grown);
  cursor_ = 0;
}

std::vector<raft::Message> SimNetwork::deliver_due(std::int64_t now_ms, std::uint64_t& lost) {
  std::vector<raft::Message> out;
  deliver_due(now_ms, lost, out);
  return out;
}

void SimNetwork::release_held() {
  if (held_slot_ == kNoSlot) return;
  free_slots_.push_back(held_slot_);
  held_slot_ = kNoSlot;
}

raft::Message* SimNetwork::next_due(std::int64_t now_ms, std::uint64_t& lost) {
  release_held();
  while (drain_ms_ <= now_ms) {
    std::vector<std::size_t>& bucket = wheel_[static_cast<std::size_t>(drain_ms_) & (wheel_.size() - 1)];
    if (cursor_ == bucket.size()) {
      bucket.clear();
      cursor_ = 0;
      // Nothing in flight: no bucket before now_ms + 1 can fill any more.
      drain_ms_ = in_flight_ == 0 ? now_ms + 1 : drain_ms_ + 1;
      continue;
    }
    const std::size_t slot = bucket[cursor_++];
    --in_flight_;
    raft::Message& due = slots_[slot];
    if (!cut_.empty() && is_cut(due.from, due.to)) {
      free_slots_.push_back(slot);
      ++lost;
      continue;
    }
    // The slot is freed on the next call, so the caller reads it in place.
    held_slot_ = slot;
    return &due;
  }
  return nullptr;
}

void SimNetwork::deliver_due(std::int64_t now_ms, std::uint64_t& lost, std::vector<raft::Message>& out) {
  out.clear();
  while (next_due(now_ms, lost) != nullptr) out.push_back(std::move(slots_[held_slot_]));
  release_held();
}

}  // namespace faultline::sim
