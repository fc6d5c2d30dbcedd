// The simulator's event loop: members, faults, client, and the safety checks.
#include "cluster/sim/simulator.hpp"

#include <limits>
#include <memory>
#include <optional>
#include <random>

#include "cluster/raft/invariants.hpp"
#include "cluster/raft/node.hpp"
#include "cluster/sim/network.hpp"
#include "cluster/sim/sim_storage.hpp"

namespace faultline::sim {

namespace {

constexpr std::uint64_t kEmptyStateHash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis

// The state after applying `e` to a state machine in state `h`.
std::uint64_t apply_hash(std::uint64_t h, const raft::Entry& e) {
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  h = (h ^ e.term) * kPrime;
  h = (h ^ e.index) * kPrime;
  for (char c : e.command) h = (h ^ static_cast<unsigned char>(c)) * kPrime;
  return h;
}

// A member's snapshot carries its state machine, the hash in decimal.
std::string snapshot_data(std::uint64_t state) { return std::to_string(state); }
std::uint64_t snapshot_state(const raft::Snapshot& s) {
  return s.index == 0 ? kEmptyStateHash : std::stoull(s.data);
}

struct Member {
  raft::NodeId id = 0;
  SimStorage storage;
  std::unique_ptr<raft::Node> node;  // null while crashed
  std::uint64_t incarnation = 0;
  // Local clock: base_local + (t - base_global) * (1e6 + drift_ppm) / 1e6.
  std::int64_t drift_ppm = 0;
  std::int64_t base_global = 0;
  std::int64_t base_local = 0;
  raft::Role role = raft::Role::follower;
  raft::Term term = 0;
  // The member's state machine: a hash chain over the entries it applied
  // (through sm_index), rebuilt from snapshots; its snapshots carry it.
  raft::Index sm_index = 0;
  std::uint64_t sm_hash = kEmptyStateHash;
};

std::string describe(const raft::Message& m) {
  std::string s = std::to_string(m.from) + ">" + std::to_string(m.to) + " t" + std::to_string(m.term) + " ";
  if (const auto* v = std::get_if<raft::VoteRequest>(&m.body)) {
    return s + (v->pre_vote ? "prevote? last " : "vote? last ") + std::to_string(v->last_log_index) + "/" + std::to_string(v->last_log_term);
  }
  if (const auto* v = std::get_if<raft::VoteResponse>(&m.body)) return s + (v->pre_vote ? "pre" : "") + (v->granted ? "vote yes" : "vote no");
  if (const auto* a = std::get_if<raft::AppendRequest>(&m.body)) {
    return s + "append prev " + std::to_string(a->prev_index) + "/" + std::to_string(a->prev_term) + " n" +
           std::to_string(a->entries.size()) + " c" + std::to_string(a->leader_commit);
  }
  if (const auto* r = std::get_if<raft::AppendResponse>(&m.body)) {
    return s + (r->success ? "ack " + std::to_string(r->match_index) : "nack " + std::to_string(r->conflict_hint));
  }
  return s + "message kind " + std::to_string(m.body.index());
}

class Simulation {
 public:
  Simulation(const SimConfig& config, const Schedule& schedule)
      : config_(config), schedule_(schedule), rng_(config.seed), network_(config.network) {
    for (raft::NodeId id = 1; id <= config_.members; ++id) ids_.push_back(id);
    members_.resize(config_.members);
    for (std::size_t i = 0; i < members_.size(); ++i) {
      members_[i].id = ids_[i];
      start(members_[i]);
    }
  }

  SimResult run() {
    std::size_t next_action = 0;
    for (now_ = 0; now_ < config_.duration_ms && !stopped_; ++now_) {
      while (next_action < schedule_.actions.size() && schedule_.actions[next_action].at_ms <= now_) {
        apply(schedule_.actions[next_action++]);
      }
      // Every member takes in its deliveries, the client's proposal and its
      // tick, then carries out one Ready for all of it (as a real driver
      // batches what arrived between two fsyncs): fewer Readies and syncs,
      // and a follower acknowledges several appends with one response.
      // Stepping sends nothing (sends wait for the Ready), so each message is
      // read in place in the network's slot.
      while (raft::Message* m = network_.next_due(now_, result_.stats.messages_dropped)) {
        deliver(*m);
        recycle(*m);
      }
      client_ops();
      for (Member& m : members_) {
        if (!m.node) continue;
        // A tick before the node's next deadline would change nothing.
        const std::int64_t t = local(m);
        if (t >= m.node->next_tick_ms()) m.node->tick(t);
        drive(m);
      }
      if (dirty_ && now_ - last_check_ >= config_.check_every_ms) check();
    }
    if (dirty_ && !stopped_) check();
    result_.stats.simulated_ms = now_;
    result_.stats.committed = monitor_.committed_base() + monitor_.committed().size();
    return std::move(result_);
  }

 private:
  void log(const std::string& what) {
    result_.event_log += std::to_string(now_);
    result_.event_log += ' ';
    result_.event_log += what;
    result_.event_log += '\n';
  }

  void violation(const std::string& what) {
    log("VIOLATION " + what);
    result_.violations.push_back("t=" + std::to_string(now_) + " " + what);
    if (result_.first_violation_ms < 0) result_.first_violation_ms = now_;
    if (config_.stop_at_first_violation) stopped_ = true;
  }

  std::int64_t local(const Member& m) const {
    if (m.drift_ppm == 0) return m.base_local + (now_ - m.base_global);  // no division in the common case
    return m.base_local + (now_ - m.base_global) * (1'000'000 + m.drift_ppm) / 1'000'000;
  }

  void start(Member& m) {
    store::Recovered rec = m.storage.load();
    raft::Snapshot snapshot = rec.snapshot.value_or(raft::Snapshot{});
    raft::Config c;
    c.id = m.id;
    c.members = ids_;
    c.election_timeout_min_ms = config_.election_timeout_min_ms;
    c.election_timeout_max_ms = config_.election_timeout_max_ms;
    c.heartbeat_ms = config_.heartbeat_ms;
    c.election_timer = config_.election_timer;
    // A restarted member draws fresh timeouts, still from the run's one seed.
    c.seed = config_.seed + 0x9E3779B97F4A7C15ULL * m.incarnation;
    c.check_quorum = config_.check_quorum;
    c.pre_vote = config_.pre_vote;
    c.planted_bug = config_.planted_bug;
    if (auto error = raft::validate(c, snapshot, rec.log)) {
      violation("member " + std::to_string(m.id) + " cannot restart: " + *error);
      return;
    }
    // The state machine comes back from the snapshot; the node re-delivers
    // the committed entries after it.
    m.sm_index = snapshot.index;
    m.sm_hash = snapshot_state(snapshot);
    m.node = std::make_unique<raft::Node>(std::move(c), rec.hard, std::move(snapshot), std::move(rec.log),
                                          local(m));
    m.role = m.node->role();
    m.term = m.node->term();
    dirty_ = true;
    drive(m);
  }

  Member* leader() {
    Member* best = nullptr;
    for (Member& m : members_) {
      if (m.node && m.node->role() == raft::Role::leader && (!best || m.node->term() > best->node->term())) best = &m;
    }
    return best;
  }

  void crash(Member& m) {
    if (!m.node) return log("crash " + std::to_string(m.id) + ": already down");
    m.storage.crash();
    m.node.reset();
    ++m.incarnation;
    ++result_.stats.crashes;
    dirty_ = true;
    log("crash " + std::to_string(m.id));
  }

  void apply(const Action& a) {
    log("action: " + to_string(a));
    auto member = [&](raft::NodeId id) -> Member& { return members_[id - 1]; };
    switch (a.kind) {
      case ActionKind::crash:
        crash(member(a.member));
        break;
      case ActionKind::crash_leader:
        if (Member* l = leader()) {
          if (!recovery_from_) recovery_from_ = std::make_pair(now_, l->node->term());
          crash(*l);
        } else {
          log("crash leader: no leader");
        }
        break;
      case ActionKind::restart:
        restart(member(a.member));
        break;
      case ActionKind::restart_all:
        for (Member& m : members_) restart(m);
        break;
      case ActionKind::partition:
        network_.set_cut(a.cut);
        break;
      case ActionKind::isolate_leader:
        if (Member* l = leader()) {
          network_.set_cut(split_links({l->id}, config_.members));
        } else {
          log("isolate leader: no leader");
        }
        break;
      case ActionKind::heal:
        network_.set_cut({});
        break;
      case ActionKind::drop:
      case ActionKind::duplicate:
      case ActionKind::reorder:
      case ActionKind::delay: {
        LinkParams p = network_.defaults();
        if (a.kind == ActionKind::drop) p.drop_per_mille = static_cast<std::uint32_t>(a.a);
        if (a.kind == ActionKind::duplicate) p.duplicate_per_mille = static_cast<std::uint32_t>(a.a);
        if (a.kind == ActionKind::reorder) p.reorder_per_mille = static_cast<std::uint32_t>(a.a);
        if (a.kind == ActionKind::delay) p.delay_min_ms = a.a, p.delay_max_ms = a.b;
        network_.set_defaults(p);
        break;
      }
      case ActionKind::slow:
        network_.set_member_delay(a.member, config_.members, a.a, a.b);
        break;
      case ActionKind::drift: {
        Member& m = member(a.member);
        m.base_local = local(m);
        m.base_global = now_;
        m.drift_ppm = a.a;
        break;
      }
    }
  }

  void restart(Member& m) {
    if (m.node) return;
    ++result_.stats.restarts;
    log("restart " + std::to_string(m.id));
    start(m);
  }

  void deliver(const raft::Message& msg) {
    Member& m = members_[msg.to - 1];
    if (!m.node) {
      ++result_.stats.messages_dropped;
      if (config_.log_messages) log("lost (down) " + describe(msg));
      return;
    }
    ++result_.stats.messages_delivered;
    if (config_.log_messages) log("recv " + describe(msg));
    m.node->step(msg, local(m));  // its Ready is carried out at the end of the ms
  }

  // The append's entries buffer goes back to its sender for a later append
  // (a network slot would otherwise free it when reused).
  void recycle(raft::Message& msg) {
    auto* append = std::get_if<raft::AppendRequest>(&msg.body);
    if (append == nullptr || msg.from == 0 || msg.from > members_.size()) return;
    if (Member& sender = members_[msg.from - 1]; sender.node) sender.node->recycle(std::move(append->entries));
  }

  void client_ops() {
    client_credit_ += config_.client_ops_per_second;
    while (client_credit_ >= 1000) {
      client_credit_ -= 1000;
      leaders_.clear();
      for (Member& m : members_) {
        if (m.node && m.node->role() == raft::Role::leader) leaders_.push_back(&m);
      }
      const std::vector<Member*>& leaders = leaders_;
      if (leaders.empty()) {
        ++result_.stats.proposals_refused;
        continue;
      }
      // A client may reach a stale leader too; which one is part of the seed.
      Member* target = leaders.front();
      if (leaders.size() > 1) {
        target = leaders[std::uniform_int_distribution<std::size_t>(0, leaders.size() - 1)(rng_)];
      }
      const std::string command = "op" + std::to_string(next_op_++);
      if (target->node->propose(command, local(*target))) {
        ++result_.stats.proposals;
        if (config_.log_messages) log("propose " + command + " at " + std::to_string(target->id));
      }
    }
  }

  // Carries out a member's Ready: persist, send, apply (raft::Ready's order).
  void drive(Member& m) {
    while (m.node && m.node->has_ready()) {
      dirty_ = true;
      raft::Ready& ready = ready_;  // reused: its vectors' capacity cycles through the nodes
      m.node->take_ready(ready);
      if (auto error = store::persist(m.storage, ready)) {
        violation("member " + std::to_string(m.id) + " storage error: " + *error);
        return;
      }
      if (ready.snapshot) install_snapshot(m, *ready.snapshot);
      for (raft::Message& msg : ready.messages) send(std::move(msg));
      for (const raft::Entry& e : ready.committed) check_apply(m, e);
      maybe_compact(m);
    }
    if (!m.node) return;
    if (m.node->role() != m.role || m.node->term() != m.term) {
      m.role = m.node->role();
      m.term = m.node->term();
      if (m.term > result_.stats.max_term) result_.stats.max_term = m.term;
      log("member " + std::to_string(m.id) + " " + std::string(raft::to_string(m.role)) + " term " +
          std::to_string(m.term));
      if (m.role == raft::Role::leader) {
        ++result_.stats.elections_won;
        if (recovery_from_ && m.term > recovery_from_->second) {
          result_.stats.leader_recovery_ms.push_back(now_ - recovery_from_->first);
          recovery_from_.reset();
          if (config_.stop_after_recoveries != 0 &&
              result_.stats.leader_recovery_ms.size() >= config_.stop_after_recoveries) {
            stopped_ = true;
          }
        }
      }
    }
  }

  void send(raft::Message&& msg) {
    ++result_.stats.messages_sent;
    const std::string what = config_.log_messages ? describe(msg) : std::string();
    const SendOutcome outcome = network_.send(std::move(msg), now_, rng_);
    if (outcome == SendOutcome::dropped || outcome == SendOutcome::cut) ++result_.stats.messages_dropped;
    if (outcome == SendOutcome::duplicated) ++result_.stats.messages_duplicated;
    if (!config_.log_messages) return;
    switch (outcome) {
      case SendOutcome::queued:
        return log("send " + what);
      case SendOutcome::dropped:
        return log("drop " + what);
      case SendOutcome::cut:
        return log("cut " + what);
      case SendOutcome::duplicated:
        return log("send twice " + what);
    }
  }

  // State machine safety on every apply, cheaper than a full observation:
  // whatever any member applies at an index, every member applies there, in
  // index order.
  void check_apply(Member& m, const raft::Entry& e) {
    if (e.index != m.sm_index + 1) {
      violation("member " + std::to_string(m.id) + " applied index " + std::to_string(e.index) +
                " after index " + std::to_string(m.sm_index));
    }
    const std::uint64_t before = m.sm_hash;
    m.sm_index = e.index;
    const raft::Index top = applied_base_ + applied_.size();
    const bool known = e.index > applied_base_ && e.index <= top;
    const std::size_t at = known ? static_cast<std::size_t>(e.index - applied_base_ - 1) : 0;
    if (known && applied_[at] == e && before == state_hash_at(e.index - 1)) {
      // The same entry on the same state gives the state of every member
      // that applied it: hashed once, by the first.
      m.sm_hash = state_hash_[at];
      return;
    }
    m.sm_hash = apply_hash(before, e);
    if (e.index == top + 1) {
      applied_.push_back(e);
      state_hash_.push_back(m.sm_hash);
    } else if (known && applied_[at] != e) {
      const raft::Entry& first = applied_[at];
      violation("state machine safety: member " + std::to_string(m.id) + " applied (term " +
                std::to_string(e.term) + ", '" + e.command + "') at index " + std::to_string(e.index) +
                ", another member applied (term " + std::to_string(first.term) + ", '" + first.command + "')");
    }
  }

  // The state after applying the first `index` entries; index must be at
  // least applied_base_ and at most the last applied index.
  std::uint64_t state_hash_at(raft::Index index) const {
    return index == applied_base_ ? base_state_hash_ : state_hash_[index - applied_base_ - 1];
  }

  // Every member's durable snapshot is past `floor`: no member will apply or
  // show an entry at or below it again, so the apply check and the monitor
  // drop what they keep of them (in steps, so the cost is amortised).
  void forget_applied() {
    raft::Index floor = std::numeric_limits<raft::Index>::max();
    for (const Member& m : members_) floor = std::min(floor, m.storage.snapshot_index());
    const raft::Index top = applied_base_ + applied_.size();
    floor = std::min(floor, top);
    if (floor < applied_base_ + kForgetStep) return;
    base_state_hash_ = state_hash_at(floor);
    const auto drop = static_cast<std::ptrdiff_t>(floor - applied_base_);
    applied_.erase(applied_.begin(), applied_.begin() + drop);
    state_hash_.erase(state_hash_.begin(), state_hash_.begin() + drop);
    applied_base_ = floor;
    monitor_.forget_through(floor);
  }

  // A leader's snapshot replaced the member's state machine: it must be the
  // state every member reached by applying the same entries.
  void install_snapshot(Member& m, const raft::Snapshot& snap) {
    ++result_.stats.snapshots_installed;
    m.sm_index = snap.index;
    m.sm_hash = snapshot_state(snap);
    log("member " + std::to_string(m.id) + " installed snapshot " + std::to_string(snap.index) + "/" +
        std::to_string(snap.term));
    if (snap.index >= applied_base_ && snap.index <= applied_base_ + applied_.size() &&
        state_hash_at(snap.index) != m.sm_hash) {
      violation("state machine safety: member " + std::to_string(m.id) + " installed a snapshot at index " +
                std::to_string(snap.index) + " whose state differs from applying the committed entries");
    }
  }

  // Log compaction as a real driver does it: once config.compact_every
  // entries are applied past the snapshot, snapshot the state machine.
  void maybe_compact(Member& m) {
    if (config_.compact_every == 0 || !m.node) return;
    if (m.sm_index < m.node->snapshot_index() + config_.compact_every) return;
    std::string data = snapshot_data(m.sm_hash);
    if (!m.node->compact(m.sm_index, data)) return;
    if (auto error = m.storage.save_snapshot(m.node->snapshot_index(), m.node->snapshot_term(), data)) {
      violation("member " + std::to_string(m.id) + " storage error: " + *error);
      return;
    }
    if (config_.log_messages) log("member " + std::to_string(m.id) + " compacted through " + std::to_string(m.sm_index));
    ++result_.stats.compactions;
    forget_applied();
  }

  void check() {
    dirty_ = false;
    last_check_ = now_;
    // Views of the live logs: an observation copies no entries.
    views_.clear();
    for (const Member& m : members_) {
      if (m.node) views_.push_back(raft::view_of(*m.node));
    }
    for (const std::string& v : monitor_.observe(std::span<const raft::NodeView>(views_))) violation(v);
  }

  const SimConfig& config_;
  const Schedule& schedule_;
  std::vector<raft::NodeId> ids_;
  std::vector<Member> members_;
  std::mt19937_64 rng_;
  SimNetwork network_;
  raft::SafetyMonitor monitor_;
  std::vector<raft::NodeView> views_;  // check() scratch
  raft::Ready ready_;                          // drive() scratch
  std::vector<Member*> leaders_;               // client_ops scratch
  // The first entry applied at each index by any member, for indexes
  // applied_base_ + 1 on (forget_applied() drops older ones), and the state
  // machine after each; base_state_hash_ is the state at applied_base_.
  static constexpr raft::Index kForgetStep = 512;
  raft::Index applied_base_ = 0;
  std::vector<raft::Entry> applied_;
  std::vector<std::uint64_t> state_hash_;
  std::uint64_t base_state_hash_ = kEmptyStateHash;
  SimResult result_;
  std::int64_t now_ = 0;
  std::int64_t last_check_ = -1'000'000;
  std::int64_t client_credit_ = 0;
  std::uint64_t next_op_ = 0;
  std::optional<std::pair<std::int64_t, raft::Term>> recovery_from_;
  bool dirty_ = false;
  bool stopped_ = false;
};

}  // namespace

SimResult run(const SimConfig& config, const Schedule& schedule) {
  return Simulation(config, schedule).run();
}

}  // namespace faultline::sim
