#include "cluster/coordinator/coordinator.hpp"

#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>

#include "cluster/coordinator/ack_policy.hpp"
#include "cluster/store/power_loss.hpp"

namespace faultline::coordinator {

using Json = nlohmann::json;

namespace {
// How late a timer can fire: an election timeout or heartbeat is acted on
// at most this long after it is due (a tick is a lock and a few compares).
constexpr auto kTickInterval = std::chrono::milliseconds(2);
}  // namespace

Coordinator::Coordinator(Config config, const util::Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

Coordinator::~Coordinator() { stop(); }

void Coordinator::note_role_locked(const util::ClockReading& now) {
  const std::int64_t since = node_->role_since_ms();
  if (since == role_since_ms_seen_ && role_since_true_ns_ != 0) return;
  role_since_ms_seen_ = since;
  // The node took the role at `now` (it is told the time on every call and
  // this runs after each): the true instant is the reading's.
  role_since_true_ns_ = now.true_ns;
}

void Coordinator::note_leader_contact_locked(const std::vector<raft::Message>& batch,
                                             const util::ClockReading& now) {
  const auto leader = node_->leader();
  if (!leader || *leader == config_.id) {
    contact_leader_.reset();
    return;
  }
  bool appended = false;
  for (const auto& m : batch) {
    if (m.from == *leader && std::holds_alternative<raft::AppendRequest>(m.body)) appended = true;
  }
  if (!appended) return;
  if (contact_leader_ != leader) {
    contact_leader_ = leader;
    contact_batches_ = 0;
    contact_intervals_ms_.clear();
    contact_next_ = 0;
  } else {
    const double interval = static_cast<double>(now.true_ns - contact_last_true_ns_) / 1e6;
    if (contact_intervals_ms_.size() < kContactWindow) {
      contact_intervals_ms_.push_back(interval);
    } else {
      contact_intervals_ms_[contact_next_] = interval;
      contact_next_ = (contact_next_ + 1) % kContactWindow;
    }
  }
  ++contact_batches_;
  contact_last_true_ns_ = now.true_ns;
}

bool Coordinator::start(std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) {
    error = "cannot create data dir " + config_.data_dir.string() + ": " + ec.message();
    return false;
  }
  // A durable-state copy left by a lying disk (power_loss.hpp) describes
  // nothing once the member restarts: a power loss would have restored it.
  store::discard_synced_copy(config_.data_dir);
  storage_ = std::make_unique<store::FileStorage>(config_.data_dir, disk_);
  auto recovered = storage_->load();
  if (!recovered.error.empty()) {
    error = "cannot recover " + config_.data_dir.string() + ": " + recovered.error;
    return false;
  }
  raft::Config raft_config;
  raft_config.id = config_.id;
  for (const auto& m : config_.members) raft_config.members.push_back(m.id);
  raft_config.election_timeout_min_ms = config_.election_timeout_min_ms;
  raft_config.election_timeout_max_ms = config_.election_timeout_max_ms;
  raft_config.heartbeat_ms = config_.heartbeat_ms;
  raft_config.election_timer = config_.election_timer;
  raft_config.seed = config_.seed * 1000003u + config_.id;
  {
    std::lock_guard lock(mu_);
    raft::Snapshot snapshot;
    if (recovered.snapshot) {
      // The state machine starts from the snapshot; the log replays only the
      // committed entries after it.
      if (auto restore_error = kv_.restore(recovered.snapshot->data)) {
        error = "cannot restore the snapshot in " + config_.data_dir.string() + ": " +
                *restore_error;
        return false;
      }
      applied_index_ = recovered.snapshot->index;
      snapshot = std::move(*recovered.snapshot);
    }
    const util::ClockReading now = clock_.read();
    node_ = std::make_unique<raft::Node>(raft_config, recovered.hard, std::move(snapshot),
                                         std::move(recovered.log), now.now_ms);
    note_role_locked(now);
  }
  {
    // Replays the committed entries into the state machine before any
    // request can read it.
    std::unique_lock lock(mu_);
    persisted_commit_ = node_->commit_index();  // what load() recovered is on disk
    persisted_last_ = node_->last_index();
    while (node_->has_ready()) process_ready(lock);
  }
  const std::string log_prefix = "faultline coordinator " + config_.name + ": ";
  const LinkTiming timing =
      LinkTiming::from_raft(config_.election_timeout_max_ms, config_.heartbeat_ms);
  std::map<std::uint32_t, std::string> peer_names;
  for (const auto& m : config_.members) {
    if (m.id == config_.id) continue;
    peer_names[m.id] = m.name;
    peers_[m.id] = std::make_unique<RaftLink>(Hello{config_.id, m.id, config_.settings.token}, m.name, m.raft, timing,
                                              log_prefix);
  }
  // A peer that connects has a connection timeout's worth of time to say
  // who it is.
  raft_listener_ = std::make_unique<RaftListener>(
      config_.id, std::move(peer_names), timing.connect_timeout,
      [this](std::vector<raft::Message>& batch) { receive_messages(batch); }, log_prefix, config_.settings.token);
  if (config_.campaign_when_leader_gone) {
    raft_listener_->on_stream_closed([this](std::uint32_t peer) { peer_stream_closed(peer); });
  }
  if (!raft_listener_->start(config_.raft_listen, error)) {
    error = "raft port: " + error;
    return false;
  }
  install_routes();
  install_admin_routes();
  if (!server_.start(config_.listen, error)) {
    probe_wake_.wake();  // a probe of peer_stream_closed must not hold up the stop
    raft_listener_->stop();
    return false;
  }
  ready_thread_ = std::thread([this] { ready_loop(); });
  ticker_ = std::thread([this] { tick_loop(); });
  return true;
}

void Coordinator::stop() {
  if (stopping_.exchange(true)) return;
  {
    std::lock_guard lock(mu_);  // no waiter can miss the flag between test and wait
  }
  applied_cv_.notify_all();
  ready_cv_.notify_all();
  heard_cv_.notify_all();
  disk_switched_cv_.notify_all();
  probe_wake_.wake();
  server_.stop();
  if (raft_listener_) raft_listener_->stop();
  if (ticker_.joinable()) ticker_.join();
  if (ready_thread_.joinable()) ready_thread_.join();
  peers_.clear();
}

std::string Coordinator::listening() const {
  return server_.bound().to_string() + " raft " +
         (raft_listener_ ? raft_listener_->bound().to_string() : "?");
}

void Coordinator::tick_loop() {
  while (!stopping_.load()) {
    {
      std::lock_guard lock(mu_);
      const util::ClockReading now = clock_.read();
      node_->tick(now.now_ms);
      note_role_locked(now);
    }
    ready_cv_.notify_one();
    std::this_thread::sleep_for(kTickInterval);
  }
}

void Coordinator::ready_loop() {
  std::unique_lock lock(mu_);
  while (true) {
    ready_cv_.wait(lock, [this] { return stopping_.load() || node_->has_ready() || disk_switch_; });
    if (stopping_.load()) return;
    // Between two Readies every write so far has been synced: where the
    // disk may start or stop lying.
    if (disk_switch_) {
      apply_disk_switch_locked(lock);
      continue;
    }
    process_ready(lock);
  }
}

void Coordinator::process_ready(std::unique_lock<std::mutex>& lock) {
  raft::Ready ready = node_->take_ready();
  // Durable first, outside the lock: term, vote and log reach the disk before
  // any message of this Ready leaves (a vote, an acknowledgement of entries,
  // the appends that let followers acknowledge the leader's own entries).
  // Readies are carried out one at a time, in order, by this thread only, so
  // a later Ready's messages never overtake an earlier Ready's writes.
  // Meanwhile requests keep proposing and stepping the node: everything that
  // piles up goes to disk with the next single fsync (group commit).
  // A member whose disk fails cannot keep its promises, so it stops at once.
  lock.unlock();
  if (auto error = store::persist(*storage_, ready)) {
    std::cerr << "faultline coordinator " << config_.name << ": storage failed: " << *error
              << "; stopping\n";
    std::abort();
  }
  for (const auto& message : ready.messages) {
    auto peer = peers_.find(message.to);
    if (peer != peers_.end()) peer->second->enqueue(message_frame(message));
  }
  lock.lock();
  if (ready.hard_state) persisted_commit_ = std::max<std::uint64_t>(persisted_commit_, ready.hard_state->commit);
  if (ready.snapshot) persisted_last_ = ready.snapshot->index;
  if (ready.truncate_from) persisted_last_ = *ready.truncate_from - 1;
  if (!ready.append.empty()) persisted_last_ = ready.append.back().index;
  if (ready.snapshot) {
    // A leader's snapshot replaces the state machine before later entries
    // apply on top of it. Proposals waiting at covered indexes cannot learn
    // their outcome here and time out (which already means "may be applied").
    if (auto error = kv_.restore(ready.snapshot->data)) {
      std::cerr << "faultline coordinator " << config_.name
                << ": cannot restore the leader's snapshot: " << *error << "; stopping\n";
      std::abort();
    }
    applied_index_ = ready.snapshot->index;
  }
  for (const auto& entry : ready.committed) {
    std::string result = kv_.apply(entry);
    applied_index_ = entry.index;
    auto pending = pending_.find(entry.index);
    if (pending != pending_.end()) {
      pending->second->applied = true;
      pending->second->same_term = pending->second->term == entry.term;
      pending->second->result = std::move(result);
      pending_.erase(pending);
    }
  }
  // Waiters: proposals whose entry applied, and routed calls waiting for a
  // new leader to catch up (any apply, or a snapshot, moves applied_index_).
  if (ready.snapshot || !ready.committed.empty()) applied_cv_.notify_all();
  // Sync (the default) acknowledges on apply alone: nothing more to do here.
  if (config_.replication != settings::Replication::sync) acknowledge_early_locked();
  maybe_compact_locked();
}

void Coordinator::acknowledge_early_locked() {
  // The messages of the Ready just persisted have been handed to the
  // senders already: an async acknowledgement never precedes the append
  // leaving, but it does not wait for any follower to have it.
  const bool leading = node_->role() == raft::Role::leader;
  bool woke = false;
  for (auto& [index, pending] : pending_) {
    if (pending->acknowledged || pending->ack == settings::Replication::sync) continue;
    AckFacts facts;
    facts.leader_durable = leading && pending->term == node_->term() && index <= persisted_last_ &&
                           node_->term_at(index) == pending->term;
    if (facts.leader_durable) facts.followers_durable = node_->followers_matching(index);
    if (!acknowledged(pending->ack, facts)) continue;
    pending->acknowledged = true;
    // Semi-sync with 3 members: the follower's acknowledgement that made
    // the pair is the one that committed the entry.
    pending->committed_at_ack = node_->commit_index() >= index;
    woke = true;
  }
  if (woke) applied_cv_.notify_all();
}

void Coordinator::maybe_compact_locked() {
  // Long drills would otherwise grow the log (and the recovery replay) without
  // bound; the snapshot is the applied key-value state.
  if (node_->last_index() - node_->snapshot_index() <= kCompactAfterEntries) return;
  if (applied_index_ <= node_->snapshot_index()) return;
  const raft::Index upto = applied_index_;
  const raft::Term term = node_->term_at(upto);
  std::string data = kv_.snapshot();
  if (!node_->compact(upto, data)) return;
  if (auto error = storage_->save_snapshot(upto, term, data)) {
    std::cerr << "faultline coordinator " << config_.name << ": storage failed: " << *error
              << "; stopping\n";
    std::abort();
  }
}

OpResult Coordinator::replicate(const std::string& command, std::chrono::milliseconds timeout,
                               settings::Replication ack) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  auto entry = node_->propose(command, clock_.now_ms());
  // A follower whose leader has gone quiet (none known, or nothing heard
  // for two heartbeats: it may be dead; or found gone, peer_stream_closed,
  // which clears both) holds the request until it hears
  // from a leader — a new one, or the old one again — instead of naming a
  // leader that may be gone: the client is then sent straight to whoever
  // leads, and a member elected meanwhile takes the write itself. Nothing is
  // done before the answer, which stays "not the leader" when it is not
  // this member; the last 20 ms are left to the client to follow the hint.
  auto leader_quiet = [this] {
    const auto contact = node_->leader_contact_ms();
    return !node_->leader() || !contact || clock_.now_ms() - *contact >= 2 * config_.heartbeat_ms;
  };
  const auto hold_until = deadline - std::chrono::milliseconds(20);
  while (!entry && leader_quiet() && std::chrono::steady_clock::now() < hold_until && !stopping_.load()) {
    heard_cv_.wait_until(lock, hold_until);
    if (node_->role() == raft::Role::leader) entry = node_->propose(command, clock_.now_ms());
  }
  if (!entry) return OpResult{Outcome::not_leader, "", 0};
  bool woke_others = false;
  const std::uint64_t index = entry->index;
  auto mine = std::make_shared<Pending>();
  mine->term = entry->term;
  mine->ack = ack;
  auto& slot = pending_[index];
  if (slot) {
    // An earlier proposal at this index was truncated away when this member
    // lost and regained leadership: it can never be committed.
    slot->applied = true;
    slot->same_term = false;
    woke_others = true;
  }
  slot = mine;
  ready_cv_.notify_one();
  if (woke_others) applied_cv_.notify_all();
  applied_cv_.wait_until(lock, deadline,
                         [&] { return stopping_.load() || mine->applied || mine->acknowledged; });
  if (!mine->applied && mine->acknowledged) {
    // Stays in pending_ until its index applies (or is taken by another
    // entry), which erases it as for any other proposal.
    OpResult early{Outcome::ok, "", index};
    early.committed = mine->committed_at_ack;
    return early;
  }
  if (!mine->applied) {
    if (auto it = pending_.find(index); it != pending_.end() && it->second == mine) {
      pending_.erase(it);
    }
    return OpResult{Outcome::timeout, "", index};
  }
  if (!mine->same_term) return OpResult{Outcome::lost, "", index};
  return OpResult{Outcome::ok, std::move(mine->result), index};
}

std::optional<std::map<std::string, std::optional<std::string>>> Coordinator::read_keys(
    const std::vector<std::string>& keys, std::chrono::milliseconds timeout, OpResult& status) {
  // The barrier is a no-op read of the empty key: once it is applied, every
  // write committed before the read began is in the local state.
  status = replicate(Json{{"op", "get"}, {"key", ""}}.dump(), timeout);
  if (status.outcome != Outcome::ok) return std::nullopt;
  std::lock_guard lock(mu_);
  std::map<std::string, std::optional<std::string>> values;
  for (const auto& key : keys) values[key] = kv_.get(key);
  return values;
}

std::optional<std::string> Coordinator::read_local(const std::string& key) {
  std::lock_guard lock(mu_);
  return kv_.get(key);
}

void Coordinator::receive_messages(std::vector<raft::Message>& batch) {
  {
    std::lock_guard lock(mu_);
    const util::ClockReading now = clock_.read();
    for (const auto& message : batch) node_->step(message, now.now_ms);
    note_role_locked(now);
    note_leader_contact_locked(batch, now);
    // A follower's acknowledgement may be all a semi-sync write waits for,
    // and it need not move the commit index (5 members or more).
    if (config_.replication == settings::Replication::semi_sync) acknowledge_early_locked();
  }
  ready_cv_.notify_one();
  heard_cv_.notify_all();
}

std::string Coordinator::raft_status_json() {
  std::lock_guard lock(mu_);
  Json status;
  status["id"] = config_.name;
  status["term"] = node_->term();
  status["role"] = std::string(raft::to_string(node_->role()));
  const auto leader = node_->leader();
  const Member* leader_member = leader ? config_.member(*leader) : nullptr;
  status["leader"] = leader_member ? Json(leader_member->name) : Json(nullptr);
  status["leader_url"] = leader_member ? Json(leader_member->url) : Json(nullptr);
  status["commit_index"] = reported_commit_locked();
  status["last_index"] = node_->last_index();
  status["applied_index"] = applied_index_;
  // On the true CLOCK_MONOTONIC, whatever this member's clock says.
  status["role_since_mono_ns"] = role_since_true_ns_;
  status["members"] = config_.members.size();
  status["election_timer"] = std::string(raft::to_string(config_.election_timer));
  status["campaign_when_leader_gone"] = config_.campaign_when_leader_gone;
  status["leader_gone_reports"] = leader_gone_reports_;
  const util::SkewState skew = clock_.state();
  status["clock"] = Json{{"mode", skew.mode},
                         {"offset_ms", skew.offset_ms},
                         {"drift_pct", skew.drift_pct},
                         {"skew_ms", skew.skew_ms},
                         {"now_ms", skew.reading.now_ms},
                         {"true_mono_ns", skew.reading.true_ns}};
  Json contact = nullptr;
  if (contact_leader_ && node_->leader() == contact_leader_) {
    const Member* from = config_.member(*contact_leader_);
    double sum = 0;
    for (double v : contact_intervals_ms_) sum += v;
    contact = Json{{"leader", from ? Json(from->name) : Json(nullptr)},
                   {"batches", contact_batches_},
                   {"intervals", contact_intervals_ms_.size()},
                   {"mean_interval_ms", contact_intervals_ms_.empty()
                                            ? Json(nullptr)
                                            : Json(sum / static_cast<double>(contact_intervals_ms_.size()))}};
  }
  status["leader_contact"] = contact;
  return status.dump();
}

std::uint64_t Coordinator::reported_commit_locked() const {
  return std::min<std::uint64_t>(node_->commit_index(), persisted_commit_);
}

std::string Coordinator::leader_hint_json(const std::string& error) {
  std::lock_guard lock(mu_);
  return leader_hint_json_locked(error);
}

std::string Coordinator::leader_hint_json_locked(const std::string& error) {
  const auto leader = node_->leader();
  const Member* leader_member = leader ? config_.member(*leader) : nullptr;
  Json body{{"success", false}, {"error", error}};
  body["leader"] = leader_member ? Json(leader_member->name) : Json(nullptr);
  body["leader_url"] = leader_member ? Json(leader_member->url) : Json(nullptr);
  return body.dump();
}

}  // namespace faultline::coordinator
