// Coordinator::peer_stream_closed: telling a leader whose process is gone
// from one that is only quiet, so its followers need not wait out an
// election timeout after a crash (docs/reference-cluster.md, "A leader's
// process gone").
//
// A closed stream alone proves little: a leader also closes a stream it
// gives up on (a stalled write) and a proxy between members may close one.
// A refused connection to its Raft port is the proof: the kernel answers
// that nothing listens there, which is what a SIGKILL, a crash or a stop
// leaves behind. (A firewall rule that rejects with a reset, as the `reset`
// link fault does, refuses too; then this member cannot reach its leader
// either, and its campaign is still only a pre-vote.) A connection that is
// accepted, or not answered (a pause, a dropping partition, a proxy in
// between), proves nothing, and the election timer decides as before.
#include <iostream>
#include <thread>

#include "cluster/coordinator/coordinator.hpp"
#include "cluster/net/socket.hpp"

namespace faultline::coordinator {
namespace {

// The process that closed its stream may still be exiting, its listening
// socket not yet closed (the kernel closes a dying process's descriptors one
// by one): a probe that is not refused is tried again, up to 175 ms after
// the first (plus the attempts' own timeouts), before it proves nothing.
constexpr std::chrono::milliseconds kProbeTimeout{100};
constexpr std::chrono::milliseconds kProbeRetryAfter[] = {
    std::chrono::milliseconds(0), std::chrono::milliseconds(5), std::chrono::milliseconds(20),
    std::chrono::milliseconds(50), std::chrono::milliseconds(100)};

}  // namespace

void Coordinator::peer_stream_closed(std::uint32_t peer) {
  const Member* member = config_.member(peer);
  if (member == nullptr) return;
  auto follows = [&] {
    std::lock_guard lock(mu_);
    return node_->role() != raft::Role::leader && node_->leader() == peer;
  };
  if (!follows()) return;
  const std::string prefix = "faultline coordinator " + config_.name + ": the leader " + member->name +
                             " closed its raft stream and its raft port (" + member->raft.to_string() + ")";
  // Only a refusal ends the probing early: an accepted connection or no
  // answer may both turn into a refusal while the process finishes exiting.
  net::PortProbe probe = net::PortProbe::accepted;
  std::string why;
  for (const auto pause : kProbeRetryAfter) {
    if (stopping_.load()) return;
    std::this_thread::sleep_for(pause);
    probe = net::probe_port(member->raft, kProbeTimeout, probe_wake_, &why);
    if (probe == net::PortProbe::refused) break;
  }
  if (probe != net::PortProbe::refused) {
    // No proof either way: the election timer decides, as without this.
    std::cerr << prefix + (probe == net::PortProbe::accepted ? " still accepts connections"
                                                              : " does not answer (" + why + ")") +
                     ": leaving it to the election timer\n";
    return;
  }
  {
    std::lock_guard lock(mu_);
    const util::ClockReading now = clock_.read();
    if (node_->role() == raft::Role::leader || node_->leader() != peer) return;  // it moved on meanwhile
    node_->peer_gone(peer, now.now_ms);
    ++leader_gone_reports_;
    note_role_locked(now);
  }
  std::cerr << prefix + " refuses connections: its process is gone; campaigning in its turn\n";
}

}  // namespace faultline::coordinator
