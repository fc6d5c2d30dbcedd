// SimNetwork: delays, loss, duplication and cut links.
#include "cluster/sim/network.hpp"

#include <algorithm>

namespace faultline::sim {

namespace {
bool chance(std::uint32_t per_mille, std::mt19937_64& rng) {
  if (per_mille == 0) return false;  // no draw: a loss-free run spends no randomness here
  return std::uniform_int_distribution<std::uint32_t>(0, 999)(rng) < per_mille;
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
  if (auto it = link_delay_.find({from, to}); it != link_delay_.end()) {
    lo = it->second.first;
    hi = it->second.second;
  }
  if (hi <= lo) return lo;
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

SendOutcome SimNetwork::send(raft::Message message, std::int64_t now_ms, std::mt19937_64& rng) {
  if (is_cut(message.from, message.to)) return SendOutcome::cut;
  if (chance(defaults_.drop_per_mille, rng)) return SendOutcome::dropped;
  const bool twice = chance(defaults_.duplicate_per_mille, rng);
  // Never deliver in the same ms it was sent: the receiver acts on the next step.
  const std::int64_t first = now_ms + std::max<std::int64_t>(1, draw_delay(message.from, message.to, rng));
  if (twice) {
    const std::int64_t second = now_ms + std::max<std::int64_t>(1, draw_delay(message.from, message.to, rng));
    queue_.emplace(std::make_pair(second, next_seq_++), message);
  }
  queue_.emplace(std::make_pair(first, next_seq_++), std::move(message));
  return twice ? SendOutcome::duplicated : SendOutcome::queued;
}

std::vector<raft::Message> SimNetwork::deliver_due(std::int64_t now_ms, std::uint64_t& lost) {
  std::vector<raft::Message> out;
  while (!queue_.empty() && queue_.begin()->first.first <= now_ms) {
    auto node = queue_.extract(queue_.begin());
    if (is_cut(node.mapped().from, node.mapped().to)) {
      ++lost;
      continue;
    }
    out.push_back(std::move(node.mapped()));
  }
  return out;
}

}  // namespace faultline::sim
