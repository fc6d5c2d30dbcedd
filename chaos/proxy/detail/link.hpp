// Private to chaos/proxy. Link: the state of one LinkProxy — its listener,
// the registry of its open connections, the toxics of both directions, the
// state the connections of the link share (the delay sampler, one token
// bucket per direction) and the counters behind LinkStats.
//
// Thread-safety: the listener and the accept loop live on the link's strand.
// mu_ guards closed_, released_, connections_ and toxics_; lock order is
// mu_ before a bucket mutex. Connections call the "for connections" methods
// from their own strands; those take only sampler_mu_ or a bucket mutex, or
// touch atomics. close() and open() wait on engine threads and so must not
// be called from one.
#pragma once

#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "chaos/proxy/delay_sampler.hpp"
#include "chaos/proxy/detail/asio.hpp"
#include "chaos/proxy/proxy_engine.hpp"
#include "chaos/proxy/token_bucket.hpp"

namespace faultline::proxy::detail {

class Connection;

class Link : public std::enable_shared_from_this<Link> {
 public:
  // `spec` must have passed validate_spec(); the addresses are parsed here.
  Link(asio::io_context& io, LinkSpec spec);
  ~Link();

  // Runs on the link's strand: binds (or adopts) the listener and starts
  // accepting. Returns what went wrong, naming the link and the address.
  std::optional<std::string> open();

  const LinkSpec& spec() const { return spec_; }
  // Requires !released (only the engine releases, after its last call here).
  const Strand& strand() const { return *strand_; }
  std::uint16_t port() const { return port_.load(); }
  const tcp::endpoint& upstream() const { return upstream_; }
  const std::optional<tcp::endpoint>& source() const { return source_; }

  std::optional<std::string> set_toxics(Direction direction, const Toxics& toxics);
  Toxics toxics(Direction direction) const;
  LinkStats stats() const;

  // Closes the listener and every connection on their strands, and waits
  // until that is done. Idempotent.
  void close();
  bool closed() const;

  // Called by the engine once its threads have stopped: drops every I/O
  // object (they must not outlive the I/O context). The link is closed and
  // inert afterwards.
  void release();

  // ---- For connections (from their strands).
  std::int64_t sample_delay_ns(const Toxics& toxics);
  // Bytes the direction may write now (TokenBucket::take); when none, sets
  // `ready_at_ns` to when some will be.
  std::uint64_t take_tokens(Direction direction, std::int64_t now, std::uint64_t want,
                            std::int64_t& ready_at_ns);
  void forget(const Connection* connection);
  void count_bytes(Direction direction, std::uint64_t n) {
    bytes_[static_cast<int>(direction)].fetch_add(n, std::memory_order_relaxed);
  }
  void count_delayed() { delayed_.fetch_add(1, std::memory_order_relaxed); }
  void count_resets(std::uint64_t n) { resets_.fetch_add(n, std::memory_order_relaxed); }

 private:
  void accept_next();
  void on_accept(const error_code& ec, Socket socket);

  // Constant after construction.
  asio::io_context& io_;
  const LinkSpec spec_;
  tcp::endpoint listen_;
  tcp::endpoint upstream_;
  std::optional<tcp::endpoint> source_;
  std::atomic<std::uint16_t> port_{0};

  // Touched on strand_ only (and by release(), once the threads are gone).
  // The strand too refers to the I/O context, hence optional.
  std::optional<Strand> strand_;
  std::unique_ptr<Acceptor> acceptor_;
  std::unique_ptr<Timer> retry_timer_;

  std::mutex close_mu_;  // held through close()

  // State below is protected by mu_.
  mutable std::mutex mu_;
  bool closed_ = false;
  bool released_ = false;
  std::unordered_map<const Connection*, std::shared_ptr<Connection>> connections_;
  Toxics toxics_[2];

  std::mutex sampler_mu_;
  DelaySampler sampler_;  // protected by sampler_mu_

  std::mutex bucket_mu_[2];
  TokenBucket buckets_[2];  // each protected by its bucket_mu_

  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> bytes_[2] = {0, 0};
  std::atomic<std::uint64_t> delayed_{0};
  std::atomic<std::uint64_t> resets_{0};
};

// Checks a spec before anything is opened: addresses parse, ports and sizes
// make sense. The message names the link and the field.
std::optional<std::string> validate_spec(const LinkSpec& spec);

}  // namespace faultline::proxy::detail
