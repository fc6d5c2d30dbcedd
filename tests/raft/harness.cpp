#include "tests/raft/harness.hpp"

#include <algorithm>
#include <sstream>
#include <utility>

namespace faultline::raft::testing {

Cluster::Cluster(std::size_t size, std::uint64_t seed)
    : Cluster(size, ClusterOptions{seed, 64, PlantedBug::none, true}) {}

Cluster::Cluster(std::map<NodeId, std::pair<HardState, std::vector<Entry>>> initial,
                 std::uint64_t seed, std::size_t max_entries_per_append)
    : Cluster(std::move(initial),
              ClusterOptions{seed, max_entries_per_append, PlantedBug::none, true}) {}

Cluster::Cluster(std::size_t size, ClusterOptions options)
    : options_(options), rng_(options.seed) {
  for (NodeId id = 1; id <= size; ++id) all_ids_.push_back(id);
  for (NodeId id : all_ids_) {
    members_[id].node = std::make_unique<Node>(config_for(id), HardState{}, std::vector<Entry>{}, 0);
  }
}

Cluster::Cluster(std::map<NodeId, std::pair<HardState, std::vector<Entry>>> initial,
                 ClusterOptions options)
    : options_(options), rng_(options.seed) {
  for (const auto& [id, state] : initial) all_ids_.push_back(id);
  for (auto& [id, state] : initial) {
    Member& m = members_[id];
    m.durable_hard = state.first;
    m.durable_log = state.second;
    m.node = std::make_unique<Node>(config_for(id), state.first, state.second, 0);
  }
  flush();
}

std::vector<NodeId> Cluster::ids() const { return all_ids_; }

Config Cluster::config_for(NodeId id) const {
  Config c;
  c.id = id;
  c.members = all_ids_;
  c.seed = options_.seed;
  c.max_entries_per_append = options_.max_entries_per_append;
  c.planted_bug = options_.planted_bug;
  c.pre_vote = options_.pre_vote;
  c.max_inflight_appends = options_.max_inflight_appends;
  return c;
}

bool Cluster::link_up(NodeId from, NodeId to) const {
  return isolated_.count(from) == 0 && isolated_.count(to) == 0;
}

namespace {
// Storage::save_snapshot's rule: entries after the snapshot survive only if
// the log agrees with it at its index.
void install_durable_snapshot(Member& m, const Snapshot& snap) {
  auto at = std::find_if(m.durable_log.begin(), m.durable_log.end(),
                         [&](const Entry& e) { return e.index == snap.index; });
  if (at != m.durable_log.end() && at->term == snap.term) {
    m.durable_log.erase(m.durable_log.begin(), at + 1);
  } else {
    std::erase_if(m.durable_log, [](const Entry&) { return true; });
  }
  m.durable_snapshot = snap;
}
}  // namespace

void Cluster::flush() {
  for (int round = 0; round < 1000; ++round) {
    bool any = false;
    for (auto& [id, m] : members_) {
      if (!m.node) continue;
      while (m.node->has_ready()) {
        any = true;
        Ready ready = m.node->take_ready();
        if (ready.snapshot) {
          install_durable_snapshot(m, *ready.snapshot);
          m.applied = decode_applied(ready.snapshot->data);
          ++installed_[id];
        }
        if (ready.hard_state) m.durable_hard = *ready.hard_state;
        if (ready.truncate_from) {
          const Index from = *ready.truncate_from;
          std::erase_if(m.durable_log, [from](const Entry& e) { return e.index >= from; });
        }
        for (Entry& e : ready.append) {
          const Index last =
              m.durable_log.empty() ? m.durable_snapshot.index : m.durable_log.back().index;
          if (e.index != last + 1) {
            violations_.push_back("member " + std::to_string(id) + " appended index " +
                                  std::to_string(e.index) + " after " + std::to_string(last));
          }
          m.durable_log.push_back(e);
        }
        for (Message& msg : ready.messages) {
          std::uniform_real_distribution<double> coin(0.0, 1.0);
          if (!link_up(msg.from, msg.to) || coin(rng_) < drop_probability) continue;
          std::uniform_int_distribution<std::int64_t> delay(min_delay_ms, max_delay_ms);
          network_.push_back(InFlight{now_ + delay(rng_), std::move(msg)});
        }
        for (Entry& e : ready.committed) {
          if (e.index != m.applied.size() + 1) {
            violations_.push_back("member " + std::to_string(id) + " applied index " +
                                  std::to_string(e.index) + " after " +
                                  std::to_string(m.applied.size()));
          }
          m.applied.push_back(e);
        }
        for (ReadState& r : ready.reads) m.reads.push_back(r);
      }
    }
    if (!any) break;
  }
  check();
}

void Cluster::check() {
  std::vector<NodeSnapshot> snapshots;
  for (const auto& [id, m] : members_) {
    if (m.node) snapshots.push_back(snapshot_of(*m.node));
  }
  for (std::string& v : monitor_.observe(snapshots)) {
    violations_.push_back("t=" + std::to_string(now_) + "ms " + v);
  }
}

std::size_t Cluster::deliver(std::size_t count) {
  std::size_t delivered = 0;
  while (delivered < count) {
    auto due = std::find_if(network_.begin(), network_.end(),
                            [this](const InFlight& f) { return f.deliver_at <= now_; });
    if (due == network_.end()) break;
    Message msg = std::move(due->message);
    network_.erase(due);
    ++delivered;
    Member& to = members_.at(msg.to);
    if (!to.node || !link_up(msg.from, msg.to)) continue;
    to.node->step(msg, now_);
    flush();
  }
  return delivered;
}

void Cluster::advance(std::int64_t ms, std::int64_t step_ms) {
  const std::int64_t target = now_ + ms;
  while (now_ < target) {
    now_ = std::min(now_ + step_ms, target);
    for (auto& [id, m] : members_) {
      if (m.node) m.node->tick(now_);
    }
    flush();
    deliver(100000);
  }
}

bool Cluster::advance_until(const std::function<bool()>& pred, std::int64_t max_ms) {
  const std::int64_t deadline = now_ + max_ms;
  while (!pred()) {
    if (now_ >= deadline) return false;
    advance(5);
  }
  return true;
}

std::optional<Entry> Cluster::commit_everywhere(const std::string& command,
                                                std::int64_t max_ms) {
  // Committed logs agree on prefixes, so each member's first applied copy is
  // the same entry once all of them have one.
  auto applied_everywhere = [&]() -> std::optional<Entry> {
    std::optional<Entry> found;
    for (const auto& [id, m] : members_) {
      if (!m.node) continue;
      auto it = std::find_if(m.applied.begin(), m.applied.end(),
                             [&](const Entry& e) { return e.command == command; });
      if (it == m.applied.end() || (found && *found != *it)) return std::nullopt;
      found = *it;
    }
    return found;
  };
  const std::int64_t deadline = now_ + max_ms;
  std::optional<Term> proposed_in;  // the term of the latest copy handed to a leader
  while (true) {
    if (auto done = applied_everywhere()) return done;
    if (now_ >= deadline) return std::nullopt;
    for (NodeId id : leaders()) {
      // One copy per leadership: the same leader commits its own copy or
      // loses office, and only then is a retry needed.
      if (proposed_in == node(id).term()) continue;
      if (node(id).propose(command, now_)) proposed_in = node(id).term();
      flush();
    }
    advance(5);
  }
}

std::vector<NodeId> Cluster::leaders() const {
  std::vector<NodeId> out;
  for (const auto& [id, m] : members_) {
    if (m.node && m.node->role() == Role::leader) out.push_back(id);
  }
  return out;
}

std::optional<NodeId> Cluster::wait_for_leader(std::int64_t max_ms) {
  std::optional<NodeId> found;
  auto settled = [&]() {
    found.reset();
    Term best = 0;
    for (NodeId id : leaders()) {
      if (isolated_.count(id) == 0 && node(id).term() >= best) {
        best = node(id).term();
        found = id;
      }
    }
    if (!found) return false;
    for (const auto& [id, m] : members_) {
      if (!m.node || isolated_.count(id) != 0) continue;
      if (m.node->term() != best || m.node->leader() != found) return false;
    }
    return true;
  };
  if (!advance_until(settled, max_ms)) return std::nullopt;
  return found;
}

void Cluster::start_election(NodeId id) {
  node(id).start_election(now_);
  flush();
}

std::optional<Entry> Cluster::propose(NodeId id, const std::string& command) {
  auto entry = node(id).propose(command, now_);
  flush();
  return entry;
}

void Cluster::crash(NodeId id) {
  Member& m = members_.at(id);
  m.node.reset();
  m.applied.clear();
  // Messages already on the wire still arrive at the others; those to the
  // crashed member are lost with its process.
  std::erase_if(network_, [id](const InFlight& f) { return f.message.to == id; });
}

void Cluster::restart(NodeId id) {
  Member& m = members_.at(id);
  m.node = std::make_unique<Node>(config_for(id), m.durable_hard, m.durable_snapshot,
                                  m.durable_log, now_);
  m.applied = decode_applied(m.durable_snapshot.data);
  flush();
}

bool Cluster::compact(NodeId id, Index upto) {
  Member& m = members_.at(id);
  if (!m.node) return false;
  const Term term = m.node->term_at(upto);
  std::string data = encode_applied(m.applied, upto);
  if (!m.node->compact(upto, data)) return false;
  install_durable_snapshot(m, Snapshot{upto, term, std::move(data)});
  flush();
  return true;
}

std::string encode_applied(const std::vector<Entry>& applied, Index upto) {
  std::ostringstream out;
  for (const Entry& e : applied) {
    if (e.index > upto) break;
    out << e.term << ' ' << e.index << ' ' << e.command.size() << ' ' << e.command;
  }
  return out.str();
}

std::vector<Entry> decode_applied(const std::string& data) {
  std::vector<Entry> out;
  std::istringstream in(data);
  Entry e;
  std::size_t size = 0;
  while (in >> e.term >> e.index >> size) {
    in.get();  // the separator
    e.command.assign(size, '\0');
    in.read(e.command.data(), static_cast<std::streamsize>(size));
    out.push_back(e);
  }
  return out;
}

Node follower_hearing_1(NodeId self, ElectionTimer timer, std::uint64_t seed, std::int64_t contact_ms) {
  Config config{self, {1, 2, 3}};
  config.election_timeout_min_ms = 250;
  config.election_timeout_max_ms = 500;
  config.heartbeat_ms = 50;
  config.election_timer = timer;
  config.seed = seed;
  Node n(config, HardState{1, std::nullopt, 0}, {Entry{1, 1, "a"}}, 0);
  n.step(Message{1, self, 1, AppendRequest{1, 1, {}, 0}}, contact_ms);
  n.take_ready();
  return n;
}

}  // namespace faultline::raft::testing
