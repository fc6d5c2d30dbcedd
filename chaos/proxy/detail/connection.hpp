// Private to chaos/proxy. Connection: one accepted client, its upstream
// socket and the two pipes between them, on a strand of their own.
//
// Life: connecting (upstream connect in flight) -> open (both pipes run) ->
// draining (a limit or a timeout closed it: both write sides are shut down
// and both sources are read to their end, bytes discarded, so that closing
// sends FIN, not RST; at most kDrain) -> closed. A reset toxic, an error on
// either socket, or the link closing goes straight to closed. On closed, the
// sockets are closed and the link forgets the connection; pending handlers
// hold a shared_ptr and return when they see it closed.
//
// Thread-safety: every method runs on strand() only.
#pragma once

#include <chrono>
#include <memory>

#include "chaos/proxy/detail/asio.hpp"
#include "chaos/proxy/detail/pipe.hpp"
#include "chaos/proxy/toxics.hpp"

namespace faultline::proxy::detail {

class Link;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static constexpr std::chrono::seconds kDrain{2};

  // `toxics` are the link's, per direction, when the client was accepted.
  Connection(std::shared_ptr<Link> link, Socket client, const Toxics (&toxics)[2]);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const Strand& strand() const { return strand_; }

  // Resets the client at once when a reset toxic is set; otherwise connects
  // upstream and starts both pipes.
  void start();
  void apply(Direction direction, const Toxics& toxics);
  // The link is closing: close both sockets now.
  void close_now();

  // ---- For the pipes.
  bool running() const { return state_ == State::open || state_ == State::draining; }
  bool draining() const { return state_ == State::draining; }
  std::int64_t drain_deadline_ns() const { return drain_deadline_ns_; }
  // A pipe passed its close on, or (draining) its source ended.
  void pipe_done();
  // limit_bytes reached or timeout_ms expired.
  void close_gracefully();
  // Reading the source of `direction` failed: reset its destination.
  void read_failed(Direction direction);
  // Writing the destination of `direction` failed: reset its source.
  void write_failed(Direction direction);
  // The drain took too long: close as things are.
  void finish();

 private:
  enum class State { connecting, open, draining, closed };

  void on_connected(const error_code& ec);
  void reset_now();
  // One side failed: reset `other` (RST), close both, finish.
  void reset_and_finish(Socket& other);
  Pipe& pipe(Direction d) { return d == Direction::upstream ? up_ : down_; }

  std::shared_ptr<Link> link_;
  Strand strand_;
  Socket client_;
  Socket server_;
  bool server_connected_ = false;
  State state_ = State::connecting;
  std::int64_t drain_deadline_ns_ = 0;
  Pipe up_;    // client -> server
  Pipe down_;  // server -> client
};

}  // namespace faultline::proxy::detail
