// The receiving side of the Raft streams (raft_stream.hpp): an accept loop on
// this coordinator's `raft_listen` address and one reader thread per inbound
// connection. A reader hands each batch of messages it cut out of one read to
// `deliver`, in stream order, so the node is stepped once per batch under one
// lock, not once per message.
//
// A connection is closed, with a log line naming the remote address and the
// reason, when its first frame is not a hello for this member from a known
// peer within `hello_timeout`, when the hello does not carry the cluster
// token (`token`, when it is not empty; compared in constant time), when a
// frame is malformed (torn at the end of the stream, oversized, not a Raft
// message, or not from the hello's sender), or when the same peer opens a
// newer stream: a peer has one stream at a time, so a stream left half-open
// by a peer that was cut off and reconnected does not keep its reader.
//
// Thread-safety: start() and stop() from one thread; `deliver` runs on the
// reader threads, concurrently, and must be thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/net/endpoint.hpp"
#include "cluster/net/socket.hpp"
#include "cluster/raft/types.hpp"

namespace faultline::coordinator {

class RaftListener {
 public:
  using Deliver = std::function<void(std::vector<raft::Message>& batch)>;

  // `peers`: the members allowed to connect, by id, with their names (for
  // log lines).
  RaftListener(std::uint32_t self, std::map<std::uint32_t, std::string> peers,
               std::chrono::milliseconds hello_timeout, Deliver deliver, std::string log_prefix,
               std::string token = "");
  ~RaftListener();  // stop()
  RaftListener(const RaftListener&) = delete;
  RaftListener& operator=(const RaftListener&) = delete;

  // Binds `at` (port 0: any free port) and starts accepting. False with
  // `error` set when the address cannot be bound.
  bool start(const net::Endpoint& at, std::string& error);
  // The address bound by start().
  const net::Endpoint& bound() const { return bound_; }
  // Closes every connection and joins every thread. Idempotent.
  void stop();
  // Inbound connections whose reader still runs.
  std::size_t open_connections();

  // Called (on the stream's reader thread, after its last delivery) when a
  // peer's stream ends from the peer's side: closed or reset by it, not
  // replaced by a newer stream and not stopped here. Its process may be
  // gone; the callee decides (Coordinator::peer_stream_closed). Set before
  // start().
  using Closed = std::function<void(std::uint32_t peer)>;
  void on_stream_closed(Closed closed) { closed_ = std::move(closed); }

 private:
  struct Inbound {
    net::Fd fd;
    std::string remote;           // constant after accept
    std::thread thread;
    std::atomic<bool> done{false};
    std::uint32_t peer = 0;       // set by its hello; guarded by mu_
    bool replaced = false;        // a newer stream of the same peer took over; guarded by mu_
  };
  void accept_loop();
  void read_loop(Inbound& in);
  // Makes `in` the one stream of `peer`, closing an older one.
  void claim(Inbound& in, std::uint32_t peer);
  std::string name_of(std::uint32_t peer) const;
  void log(const std::string& line) const;

  // Constant after construction.
  const std::uint32_t self_;
  const std::map<std::uint32_t, std::string> peers_;
  const std::chrono::milliseconds hello_timeout_;
  const Deliver deliver_;
  Closed closed_;
  const std::string log_prefix_;
  const std::size_t max_inbound_;
  const std::string token_;

  // Set by start().
  net::Endpoint bound_;
  net::Fd listen_fd_;
  net::WakeFd wake_;  // woken by stop(): ends the acceptor and every reader
  std::thread acceptor_;

  std::mutex mu_;
  std::list<std::unique_ptr<Inbound>> inbound_;  // guarded by mu_
};

}  // namespace faultline::coordinator
