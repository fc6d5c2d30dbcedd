// ProxyEngine and LinkProxy: user-space TCP proxies that carry the traffic of
// one directed link between cluster members and apply Toxics to it. They
// stand in for netem, which this kernel lacks: the runner interposes one link
// per (initiator, acceptor, acceptor port), and programs keep talking to the
// addresses they know.
//
// ProxyEngine owns an I/O context and its threads (EngineOptions::threads,
// default 1). Network namespaces: every socket the engine opens itself — a
// listener on LinkSpec::listen and every upstream connection — belongs to
// the network namespace of the engine's threads, which is that of the thread
// that constructed the engine (threads inherit it when they are created,
// and the engine opens those sockets only on its own threads). To listen in
// another namespace, open and bind the socket there and hand it over as
// LinkSpec::listen_fd. The destructor closes every link and connection and
// joins the threads.
//
// LinkProxy is the caller's handle on one link: it listens on
// listen.address:listen.port (port 0 picks a free one; port() reports it) or
// on an adopted listening socket, and forwards each accepted connection to
// upstream, optionally from source_address. Destroying the handle closes the
// link: its listener and all its connections, at once.
//
// Forwarding: TCP_NODELAY on both sides; each direction reads straight into
// one buffer of buffer_bytes and writes from it, with no timer and no copy
// when the direction has no toxic. A connection's half-close is passed on
// (the source's FIN becomes a shutdown of the destination's write side), and
// the connection ends when both directions have passed their close. A reset
// or error on one side resets the other side (SO_LINGER 0). With latency L,
// one connection carries at most buffer_bytes / L bytes a second in that
// direction, as a TCP window would.
//
// Errors are values: create_link and set_toxics return an error text that
// says what was wrong and where; nothing throws.
//
// Thread-safety: every method of both classes may be called from any thread
// except the engine's own (the engine never calls user code, so that only
// happens if you try). Methods of one LinkProxy may run concurrently. Do not
// destroy the engine while another thread is inside a method of it or of one
// of its links; after the engine is gone, its remaining LinkProxy handles are
// closed and inert (set_toxics returns an error, stats() the last counts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "chaos/proxy/toxics.hpp"

namespace faultline::proxy {

namespace detail {
class Link;
class EngineCore;
}  // namespace detail

struct Endpoint {
  std::string address;  // numeric IPv4 or IPv6 address
  std::uint16_t port = 0;
};

struct LinkSpec {
  std::string name;  // names the link in error messages
  // Where to listen; port 0 picks a free port. Ignored when listen_fd >= 0.
  Endpoint listen{"127.0.0.1", 0};
  // Or: an already-bound TCP socket (listening or not; the link calls
  // listen() on it). The link owns it from the call on, also when
  // create_link fails.
  int listen_fd = -1;
  Endpoint upstream;           // where accepted connections are forwarded
  std::string source_address;  // empty: the kernel picks; else upstream sockets bind to it
  std::uint64_t seed = 1;      // seeds the link's delay sampler
  // Bytes in flight per connection per direction (read, not yet written).
  std::size_t buffer_bytes = std::size_t{1} << 20;
  // Chunks waiting for their due time per connection per direction; when
  // full, the direction stops reading until one goes out.
  std::size_t max_queued_chunks = 4096;
};

struct LinkStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_active = 0;
  std::uint64_t bytes_upstream = 0;    // written to the upstream server
  std::uint64_t bytes_downstream = 0;  // written back to the connecting side
  std::uint64_t chunks_delayed = 0;    // chunks that waited in a delay queue
  // Sockets closed with RST: by the reset toxic, and on either side of a
  // connection whose other side failed.
  std::uint64_t resets_sent = 0;

  std::uint64_t bytes(Direction d) const {
    return d == Direction::upstream ? bytes_upstream : bytes_downstream;
  }
};

class LinkProxy {
 public:
  explicit LinkProxy(std::shared_ptr<detail::Link> link);
  ~LinkProxy();  // close()

  LinkProxy(const LinkProxy&) = delete;
  LinkProxy& operator=(const LinkProxy&) = delete;

  const std::string& name() const;
  // The port the listener is bound to (the one picked when listen.port was 0).
  std::uint16_t port() const;

  // Replaces the toxics of one direction, for the connections open now and
  // for those accepted later, and returns once every open connection has
  // them: a chunk that arrives after the return is treated under the new
  // toxics. Returns an error, and changes nothing, when `toxics` is invalid
  // or the link is closed.
  std::optional<std::string> set_toxics(Direction direction, const Toxics& toxics);
  Toxics toxics(Direction direction) const;

  LinkStats stats() const;

  // Closes the listener and every connection of the link (without RST), and
  // returns once they are closed: the port is free again. Idempotent.
  void close();
  bool closed() const;

 private:
  std::shared_ptr<detail::Link> link_;
};

struct LinkResult {
  std::unique_ptr<LinkProxy> link;  // set on success
  std::string error;                // set on failure
  bool ok() const { return link != nullptr; }
};

struct EngineOptions {
  unsigned threads = 1;
};

class ProxyEngine {
 public:
  explicit ProxyEngine(EngineOptions options = {});
  ~ProxyEngine();

  ProxyEngine(const ProxyEngine&) = delete;
  ProxyEngine& operator=(const ProxyEngine&) = delete;

  // Opens a link: validates the spec, binds or adopts the listener (on an
  // engine thread) and starts accepting. Fails with a message naming the
  // link and the address when the spec is invalid or the port is taken.
  LinkResult create_link(const LinkSpec& spec);

  unsigned threads() const;

 private:
  std::unique_ptr<detail::EngineCore> core_;
};

}  // namespace faultline::proxy
