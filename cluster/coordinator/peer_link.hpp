// The outgoing link to one peer coordinator: a bounded outbox and a sender
// thread that posts batches of encoded Raft messages to the peer's
// /raft/messages endpoint.
//
// Raft tolerates lost messages, so a batch that cannot be delivered (peer
// down, timeout) is dropped, and when the outbox overflows the oldest messages
// are dropped: a dead peer must never block the leader.
//
// Thread-safety: enqueue() may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace faultline::coordinator {

class PeerLink {
 public:
  PeerLink(std::string peer_url, long timeout_ms);
  ~PeerLink();  // stops and joins the sender
  PeerLink(const PeerLink&) = delete;
  PeerLink& operator=(const PeerLink&) = delete;

  void enqueue(std::string encoded_message);

 private:
  void send_loop();

  static constexpr std::size_t kMaxQueued = 1024;
  static constexpr std::size_t kMaxBatch = 64;

  // Constant after construction.
  const std::string url_;
  const long timeout_ms_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> outbox_;  // guarded by mu_
  bool stopping_ = false;           // guarded by mu_
  std::thread sender_;
};

}  // namespace faultline::coordinator
