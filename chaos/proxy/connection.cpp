// One proxied connection: see detail/connection.hpp.
#include "chaos/proxy/detail/connection.hpp"

#include <netinet/in.h>

#include "chaos/proxy/detail/link.hpp"

namespace faultline::proxy::detail {

namespace {

// Binding to a source address without a port defers the choice of port to
// connect(), so many connections from one address do not exhaust the
// ephemeral range on bind.
using bind_address_no_port =
    asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>;

void set_linger_zero(Socket& socket) {
  error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
}

}  // namespace

Connection::Connection(std::shared_ptr<Link> link, Socket client, const Toxics (&toxics)[2])
    : link_(std::move(link)),
      strand_(client.get_executor()),
      client_(std::move(client)),
      server_(strand_),
      up_(*this, *link_, Direction::upstream, client_, server_, toxics[0], now_ns()),
      down_(*this, *link_, Direction::downstream, server_, client_, toxics[1], now_ns()) {}

void Connection::start() {
  if (up_.toxics().reset || down_.toxics().reset) {
    reset_now();
    return;
  }
  const tcp::endpoint& upstream = link_->upstream();
  error_code ec;
  server_.open(upstream.protocol(), ec);
  if (!ec && link_->source()) {
    error_code ignored;
    if (upstream.protocol() == tcp::v4()) server_.set_option(bind_address_no_port(true), ignored);
    server_.bind(*link_->source(), ec);
  }
  if (!ec) server_.set_option(tcp::no_delay(true), ec);
  if (ec) {
    reset_now();
    return;
  }
  server_.async_connect(
      upstream, [self = shared_from_this()](const error_code& e) { self->on_connected(e); });
}

void Connection::on_connected(const error_code& ec) {
  if (state_ != State::connecting) return;
  if (ec) {
    // The client was accepted already; a reset is the nearest thing to the
    // refusal it would have seen without the proxy.
    reset_now();
    return;
  }
  server_connected_ = true;
  state_ = State::open;
  up_.pump();
  down_.pump();
}

void Connection::apply(Direction direction, const Toxics& toxics) {
  pipe(direction).set_toxics(toxics, now_ns());
  if (state_ == State::closed) return;
  if (toxics.reset) {
    reset_now();
    return;
  }
  if (running()) pipe(direction).pump();
}

void Connection::close_now() {
  finish();
}

void Connection::pipe_done() {
  if (state_ == State::open && up_.passed_close() && down_.passed_close()) {
    finish();
  } else if (state_ == State::draining && up_.source_ended() && down_.source_ended()) {
    finish();
  }
}

void Connection::close_gracefully() {
  if (state_ != State::open) return;
  state_ = State::draining;
  drain_deadline_ns_ = now_ns() + std::chrono::nanoseconds(kDrain).count();
  error_code ignored;
  client_.shutdown(tcp::socket::shutdown_send, ignored);
  server_.shutdown(tcp::socket::shutdown_send, ignored);
  up_.pump();
  down_.pump();
  pipe_done();
}

void Connection::read_failed(Direction direction) {
  if (direction == Direction::upstream) {
    reset_and_finish(server_);
  } else {
    reset_and_finish(client_);
  }
}

void Connection::write_failed(Direction direction) {
  if (direction == Direction::upstream) {
    reset_and_finish(client_);
  } else {
    reset_and_finish(server_);
  }
}

void Connection::reset_and_finish(Socket& other) {
  if (state_ == State::closed) return;
  set_linger_zero(other);
  if (&other == &client_ || server_connected_) link_->count_resets(1);
  finish();
}

void Connection::reset_now() {
  if (state_ == State::closed) return;
  std::uint64_t resets = 0;
  if (client_.is_open()) {
    set_linger_zero(client_);
    ++resets;
  }
  if (server_connected_) {
    set_linger_zero(server_);
    ++resets;
  }
  link_->count_resets(resets);
  finish();
}

void Connection::finish() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  up_.stop();
  down_.stop();
  error_code ignored;
  client_.close(ignored);
  server_.close(ignored);
  link_->forget(this);
}

}  // namespace faultline::proxy::detail
