// The outgoing Raft stream to one peer coordinator: a bounded outbox and a
// sender thread that keeps one TCP connection to the peer's Raft port and
// writes frames continuously, never waiting for an answer
// (raft_stream.hpp has the wire format).
//
// A dead, paused or cut-off peer must never block the leader, so:
// - enqueue() never blocks; a full outbox drops its oldest frame;
// - a connection attempt gives up after `connect_timeout`;
// - a write that makes no progress for `stall_timeout` (the peer stopped
//   reading and the kernel's buffers are full; or, with TCP_USER_TIMEOUT set
//   to the same, data stays unacknowledged because the peer is cut off)
//   abandons the connection;
// - after a failed attempt or an abandoned connection everything queued is
//   dropped (Raft tolerates lost messages, and the leader's next heartbeat or
//   retry supersedes them) and the link reconnects after `backoff`.
// A connection the peer closed (it restarted) is noticed before the next
// write, which then goes out on a fresh connection.
//
// Thread-safety: enqueue() and stats() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/coordinator/raft_stream.hpp"
#include "cluster/net/endpoint.hpp"
#include "cluster/net/socket.hpp"

namespace faultline::coordinator {

struct LinkTiming {
  std::chrono::milliseconds connect_timeout{1200};
  std::chrono::milliseconds stall_timeout{600};
  std::chrono::milliseconds backoff{50};

  // From the Raft timing: a stall longer than the longest election timeout
  // means the peer is gone for Raft's purposes too; a connection needs a
  // round trip, so it may take twice that before the link gives up (a link
  // with a one-way delay up to the election timeout can still connect);
  // retries come about once a heartbeat.
  static LinkTiming from_raft(std::int64_t election_timeout_max_ms, std::int64_t heartbeat_ms);
};

class RaftLink {
 public:
  // `hello` names this member and the peer; `log_prefix` starts every log
  // line ("faultline coordinator c1: ").
  RaftLink(Hello hello, std::string peer_name, net::Endpoint peer, LinkTiming timing,
           std::string log_prefix);
  ~RaftLink();  // stops and joins the sender
  RaftLink(const RaftLink&) = delete;
  RaftLink& operator=(const RaftLink&) = delete;

  // An encoded frame (message_frame()).
  void enqueue(std::string frame);

  struct Stats {
    std::uint64_t connections = 0;     // connections established
    std::uint64_t frames_dropped = 0;  // outbox overflow and abandoned connections
  };
  Stats stats() const;

  static constexpr std::size_t kMaxQueued = 1024;

 private:
  void send_loop();
  bool connect();                 // sender thread only
  bool write_all(std::string_view bytes, std::string& why);  // sender thread only
  // Whether the connection has ended since the last write: `stalled` when
  // the kernel timed it out (TCP_USER_TIMEOUT), `closed` (with `how`) when
  // the peer closed or reset it. Sender thread only.
  enum class Ended { open, stalled, closed };
  Ended connection_ended(std::string& how) const;
  void abandon(const std::string& why);  // logs and closes; sender thread only
  std::string stalled_text() const;
  void drop_queued();
  bool wait_backoff();            // false when stopping

  // Constant after construction.
  const Hello hello_;
  const std::string peer_name_;
  const net::Endpoint peer_;
  const LinkTiming timing_;
  const std::string log_prefix_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> outbox_;  // guarded by mu_
  bool stopping_ = false;           // guarded by mu_
  Stats stats_;                     // guarded by mu_

  net::WakeFd wake_;  // woken by the destructor: interrupts connects and writes
  // The sender thread's own.
  net::Fd connection_;
  bool reported_down_ = false;  // a failure was logged; the next success is logged too
  std::thread sender_;
};

}  // namespace faultline::coordinator
