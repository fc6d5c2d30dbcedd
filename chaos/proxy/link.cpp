// One link: listener, accept loop, connection registry, shared toxic state.
#include "chaos/proxy/detail/link.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "chaos/proxy/detail/connection.hpp"

namespace faultline::proxy::detail {

namespace {

std::string link_name(const LinkSpec& spec) {
  return spec.name.empty() ? std::string("(unnamed)") : spec.name;
}

std::string endpoint_text(const std::string& address, std::uint16_t port) {
  return address.find(':') != std::string::npos ? "[" + address + "]:" + std::to_string(port)
                                                : address + ":" + std::to_string(port);
}

std::optional<std::string> check_address(const LinkSpec& spec, const char* field,
                                         const std::string& address) {
  error_code ec;
  asio::ip::make_address(address, ec);
  if (!ec) return std::nullopt;
  return "link " + link_name(spec) + ": " + field + " \"" + address +
         "\" is not a numeric IPv4 or IPv6 address";
}

// Posts `fn` and returns a future that is ready once it has run.
template <class Executor, class Fn>
std::future<void> post_task(const Executor& executor, Fn fn) {
  auto task = std::make_shared<std::packaged_task<void()>>(std::move(fn));
  std::future<void> done = task->get_future();
  asio::post(executor, [task] { (*task)(); });
  return done;
}

}  // namespace

std::optional<std::string> validate_spec(const LinkSpec& spec) {
  const std::string link = "link " + link_name(spec) + ": ";
  if (spec.listen_fd < 0) {
    if (auto e = check_address(spec, "listen.address", spec.listen.address)) return e;
  }
  if (auto e = check_address(spec, "upstream.address", spec.upstream.address)) return e;
  if (spec.upstream.port == 0) return link + "upstream.port is 0: give the server's port";
  if (!spec.source_address.empty()) {
    if (auto e = check_address(spec, "source_address", spec.source_address)) return e;
  }
  if (spec.buffer_bytes < 4096 || spec.buffer_bytes > (std::size_t{1} << 30)) {
    return link + "buffer_bytes is " + std::to_string(spec.buffer_bytes) +
           ": it must be in [4096, 2^30]";
  }
  if (spec.max_queued_chunks < 1 || spec.max_queued_chunks > (std::size_t{1} << 20)) {
    return link + "max_queued_chunks is " + std::to_string(spec.max_queued_chunks) +
           ": it must be in [1, 2^20]";
  }
  return std::nullopt;
}

Link::Link(asio::io_context& io, LinkSpec spec)
    : io_(io), spec_(std::move(spec)), strand_(asio::make_strand(io)), sampler_(spec_.seed) {
  error_code ec;
  upstream_ =
      tcp::endpoint(asio::ip::make_address(spec_.upstream.address, ec), spec_.upstream.port);
  if (spec_.listen_fd < 0) {
    listen_ = tcp::endpoint(asio::ip::make_address(spec_.listen.address, ec), spec_.listen.port);
  }
  if (!spec_.source_address.empty()) {
    source_ = tcp::endpoint(asio::ip::make_address(spec_.source_address, ec), 0);
  }
}

Link::~Link() = default;

std::optional<std::string> Link::open() {
  acceptor_ = std::make_unique<Acceptor>(*strand_);
  retry_timer_ = std::make_unique<Timer>(*strand_);
  error_code ec;
  std::string where;
  if (spec_.listen_fd >= 0) {
    const int fd = spec_.listen_fd;
    where = "the adopted socket (fd " + std::to_string(fd) + ")";
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    int type = 0;
    socklen_t type_length = sizeof type;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0 ||
        ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_length) != 0 || type != SOCK_STREAM ||
        (local.ss_family != AF_INET && local.ss_family != AF_INET6)) {
      ::close(fd);
      acceptor_.reset();
      return "link " + link_name(spec_) + ": " + where +
             " is not a bound TCP socket: bind it to an address before handing it over";
    }
    acceptor_->assign(local.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
    if (ec) ::close(fd);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  } else {
    where = endpoint_text(spec_.listen.address, spec_.listen.port);
    acceptor_->open(listen_.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(listen_, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (!ec) port_ = acceptor_->local_endpoint(ec).port();
  if (ec) {
    acceptor_.reset();
    return "link " + link_name(spec_) + ": cannot listen on " + where + ": " + ec.message() +
           " (choose another port, or port 0 for a free one)";
  }
  accept_next();
  return std::nullopt;
}

void Link::accept_next() {
  acceptor_->async_accept(asio::make_strand(io_),
                          [self = shared_from_this()](const error_code& ec, Socket socket) {
                            self->on_accept(ec, std::move(socket));
                          });
}

void Link::on_accept(const error_code& ec, Socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_ || !acceptor_->is_open()) return;
  if (ec) {
    // Out of descriptors or memory: try again shortly instead of spinning.
    retry_timer_->expires_after(std::chrono::milliseconds(50));
    retry_timer_->async_wait([self = shared_from_this()](const error_code& wait_ec) {
      if (!wait_ec && self->acceptor_ && self->acceptor_->is_open()) self->accept_next();
    });
    return;
  }
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  std::shared_ptr<Connection> connection;
  {
    // The toxics are copied and the connection registered under one lock, so
    // a concurrent set_toxics either is copied here or reaches it by post.
    std::lock_guard lock(mu_);
    if (closed_) return;
    accepted_.fetch_add(1, std::memory_order_relaxed);
    connection = std::make_shared<Connection>(shared_from_this(), std::move(socket), toxics_);
    connections_.emplace(connection.get(), connection);
  }
  asio::dispatch(connection->strand(), [connection] { connection->start(); });
  accept_next();
}

std::optional<std::string> Link::set_toxics(Direction direction, const Toxics& toxics) {
  if (auto e = validate(toxics)) return "link " + link_name(spec_) + ": " + *e;
  const auto d = static_cast<int>(direction);
  std::vector<std::future<void>> applied;
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      return "link " + link_name(spec_) + " is closed: create a new link to apply toxics";
    }
    toxics_[d] = toxics;
    {
      std::lock_guard bucket_lock(bucket_mu_[d]);
      buckets_[d].set_rate(toxics.bandwidth_bytes_per_s, now_ns());
    }
    // Posted under the lock so that two changes reach every connection in
    // the order they were made.
    applied.reserve(connections_.size());
    for (const auto& [key, connection] : connections_) {
      applied.push_back(post_task(
          connection->strand(),
          [connection = connection, direction, toxics] { connection->apply(direction, toxics); }));
    }
  }
  // Waited for outside the lock: applying a reset makes connections forget
  // themselves, which takes it.
  for (auto& f : applied) f.wait();
  return std::nullopt;
}

Toxics Link::toxics(Direction direction) const {
  std::lock_guard lock(mu_);
  return toxics_[static_cast<int>(direction)];
}

LinkStats Link::stats() const {
  LinkStats s;
  {
    std::lock_guard lock(mu_);
    s.connections_active = connections_.size();
  }
  s.connections_accepted = accepted_.load(std::memory_order_relaxed);
  s.bytes_upstream = bytes_[0].load(std::memory_order_relaxed);
  s.bytes_downstream = bytes_[1].load(std::memory_order_relaxed);
  s.chunks_delayed = delayed_.load(std::memory_order_relaxed);
  s.resets_sent = resets_.load(std::memory_order_relaxed);
  return s;
}

void Link::close() {
  // Serialises concurrent closes, so every caller returns after the close.
  std::lock_guard closing(close_mu_);
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    if (released_) return;
    open.reserve(connections_.size());
    for (auto& [key, connection] : connections_) open.push_back(std::move(connection));
    connections_.clear();
  }
  std::vector<std::future<void>> done;
  done.reserve(open.size() + 1);
  done.push_back(post_task(*strand_, [this] {
    error_code ignored;
    if (retry_timer_) retry_timer_->cancel();
    if (acceptor_) acceptor_->close(ignored);
  }));
  for (const auto& connection : open) {
    done.push_back(post_task(connection->strand(), [connection] { connection->close_now(); }));
  }
  for (auto& f : done) f.wait();
}

bool Link::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

void Link::release() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    released_ = true;
    connections_.clear();
  }
  retry_timer_.reset();
  acceptor_.reset();
  strand_.reset();
}

std::int64_t Link::sample_delay_ns(const Toxics& toxics) {
  if (toxics.jitter_ms <= 0) return std::llround(toxics.latency_ms * 1e6);
  std::lock_guard lock(sampler_mu_);
  return sampler_.sample_ns(toxics);
}

std::uint64_t Link::take_tokens(Direction direction, std::int64_t now, std::uint64_t want,
                                std::int64_t& ready_at_ns) {
  const auto d = static_cast<int>(direction);
  std::lock_guard lock(bucket_mu_[d]);
  const std::uint64_t granted = buckets_[d].take(now, want);
  if (granted == 0) ready_at_ns = buckets_[d].ready_at(now, want);
  return granted;
}

void Link::forget(const Connection* connection) {
  std::lock_guard lock(mu_);
  connections_.erase(connection);
}

}  // namespace faultline::proxy::detail
