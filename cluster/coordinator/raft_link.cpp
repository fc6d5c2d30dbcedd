#include "cluster/coordinator/raft_link.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace faultline::coordinator {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

LinkTiming LinkTiming::from_raft(std::int64_t election_timeout_max_ms, std::int64_t heartbeat_ms) {
  LinkTiming timing;
  timing.stall_timeout = milliseconds(election_timeout_max_ms);
  timing.connect_timeout = milliseconds(2 * election_timeout_max_ms);
  timing.backoff = milliseconds(heartbeat_ms);
  return timing;
}

RaftLink::RaftLink(Hello hello, std::string peer_name, net::Endpoint peer, LinkTiming timing,
                   std::string log_prefix)
    : hello_(hello),
      peer_name_(std::move(peer_name)),
      peer_(std::move(peer)),
      timing_(timing),
      log_prefix_(std::move(log_prefix)) {
  sender_ = std::thread([this] { send_loop(); });
}

RaftLink::~RaftLink() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  wake_.wake();
  sender_.join();
}

void RaftLink::enqueue(std::string frame) {
  {
    std::lock_guard lock(mu_);
    if (outbox_.size() >= kMaxQueued) {
      outbox_.pop_front();
      ++stats_.frames_dropped;
    }
    outbox_.push_back(std::move(frame));
  }
  cv_.notify_one();
}

RaftLink::Stats RaftLink::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void RaftLink::drop_queued() {
  std::lock_guard lock(mu_);
  stats_.frames_dropped += outbox_.size();
  outbox_.clear();
}

bool RaftLink::wait_backoff() {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, timing_.backoff, [this] { return stopping_; });
}

void RaftLink::send_loop() {
  std::string batch;
  std::uint64_t batch_frames = 0;
  // A batch that cannot go out is dropped with whatever queued behind it.
  auto drop_batch = [&] {
    {
      std::lock_guard lock(mu_);
      stats_.frames_dropped += batch_frames;
    }
    drop_queued();
  };
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !outbox_.empty(); });
      if (stopping_) return;
      // Everything queued goes out in one write: under load the frames of
      // many Readies share a segment instead of one write each.
      batch.clear();
      for (const auto& frame : outbox_) batch += frame;
      batch_frames = outbox_.size();
      outbox_.clear();
    }
    if (connection_) {
      std::string how;
      const Ended ended = connection_ended(how);
      if (ended == Ended::stalled) {
        // The kernel's TCP_USER_TIMEOUT ended it between writes: a stall.
        abandon(stalled_text());
        drop_batch();
        if (!wait_backoff()) return;
        continue;
      }
      if (ended == Ended::closed) {
        // The peer closed it (it restarted): this batch goes out on a new one.
        std::cerr << log_prefix_ + "raft link to " + peer_name_ + ": " + how + "; reconnecting\n";
        connection_.reset();
      }
    }
    if (!connection_ && !connect()) {
      drop_batch();
      if (!wait_backoff()) return;
      continue;
    }
    std::string why;
    if (!write_all(batch, why)) {
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
      abandon(why);
      drop_batch();
      if (!wait_backoff()) return;
    }
  }
}

void RaftLink::abandon(const std::string& why) {
  std::cerr << log_prefix_ + "raft link to " + peer_name_ + " (" + peer_.to_string() + ") lost: " + why +
                   "; dropping what was queued, reconnecting\n";
  reported_down_ = true;
  connection_.reset();
}

std::string RaftLink::stalled_text() const {
  return "no write progress for " + std::to_string(timing_.stall_timeout.count()) +
         " ms (peer paused or cut off)";
}

bool RaftLink::connect() {
  std::string error;
  net::Fd fd = net::connect_tcp(peer_, timing_.connect_timeout, wake_, error);
  if (fd) {
    // The kernel gives up on data left unacknowledged this long (a peer cut
    // off by a partition) instead of retransmitting for minutes with growing
    // backoff, which would leave the stream silent long after a heal.
    const auto user_timeout = static_cast<unsigned>(timing_.stall_timeout.count());
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout, sizeof(user_timeout));
    connection_ = std::move(fd);
    const std::string hello = hello_frame(hello_);
    if (write_all(hello, error)) {
      {
        std::lock_guard lock(mu_);
        ++stats_.connections;
      }
      if (reported_down_) {
        std::cerr << log_prefix_ + "raft link to " + peer_name_ + " (" + peer_.to_string() +
                         ") connected\n";
        reported_down_ = false;
      }
      return true;
    }
    connection_.reset();
  }
  // A peer that is down fails every attempt, once a backoff: say so once.
  bool stopping = false;
  {
    std::lock_guard lock(mu_);
    stopping = stopping_;
  }
  if (!reported_down_ && !stopping) {
    std::cerr << log_prefix_ + "raft link to " + peer_name_ + ": " + error + "; retrying every " +
                     std::to_string(timing_.backoff.count()) + " ms\n";
    reported_down_ = true;
  }
  return false;
}

RaftLink::Ended RaftLink::connection_ended(std::string& how) const {
  // The peer never writes on this stream: readable means end of stream or
  // an error.
  pollfd fd{connection_.get(), POLLIN | POLLRDHUP, 0};
  if (::poll(&fd, 1, 0) <= 0 || fd.revents == 0) return Ended::open;
  int so_error = 0;
  socklen_t length = sizeof(so_error);
  ::getsockopt(connection_.get(), SOL_SOCKET, SO_ERROR, &so_error, &length);
  if (so_error == ETIMEDOUT) return Ended::stalled;
  how = so_error != 0 ? "connection failed (" + std::string(std::strerror(so_error)) + ")"
                      : "connection closed by the peer";
  return Ended::closed;
}

bool RaftLink::write_all(std::string_view bytes, std::string& why) {
  auto deadline = Clock::now() + timing_.stall_timeout;
  while (!bytes.empty()) {
    const ssize_t n = ::send(connection_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      deadline = Clock::now() + timing_.stall_timeout;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == ETIMEDOUT) {
      // TCP_USER_TIMEOUT (the same limit) expired first, in the kernel.
      why = stalled_text();
      return false;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      why = "write: " + net::errno_text();
      return false;
    }
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      why = stalled_text();
      return false;
    }
    switch (net::wait_for(connection_.get(), POLLOUT, left, wake_)) {
      case net::Wait::ready:
      case net::Wait::timeout:
        break;  // the next send tells which, and the deadline decides
      case net::Wait::woken:
        why = "stopping";
        return false;
      case net::Wait::failed:
        why = "poll: " + net::errno_text();
        return false;
    }
  }
  return true;
}

}  // namespace faultline::coordinator
