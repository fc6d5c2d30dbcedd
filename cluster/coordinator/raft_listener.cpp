#include "cluster/coordinator/raft_listener.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <iostream>
#include <optional>

#include "cluster/coordinator/raft_stream.hpp"
#include "cluster/net/frame.hpp"
#include "cluster/util/secret.hpp"

namespace faultline::coordinator {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::size_t kReadChunk = 256 * 1024;
constexpr milliseconds kAcceptErrorPause{100};
}  // namespace

RaftListener::RaftListener(std::uint32_t self, std::map<std::uint32_t, std::string> peers,
                           milliseconds hello_timeout, Deliver deliver, std::string log_prefix,
                           std::string token)
    : self_(self),
      peers_(std::move(peers)),
      hello_timeout_(hello_timeout),
      deliver_(std::move(deliver)),
      log_prefix_(std::move(log_prefix)),
      // One stream per peer, and room for replacements and strays that have
      // not said hello yet.
      max_inbound_(2 * peers_.size() + 4),
      token_(std::move(token)) {}

RaftListener::~RaftListener() { stop(); }

bool RaftListener::start(const net::Endpoint& at, std::string& error) {
  if (!wake_.valid()) {
    error = "cannot create an eventfd: " + net::errno_text();
    return false;
  }
  listen_fd_ = net::listen_tcp(at, bound_, error);
  if (!listen_fd_) return false;
  // Non-blocking, so that a connection reset between poll and accept cannot
  // block the acceptor.
  ::fcntl(listen_fd_.get(), F_SETFL, ::fcntl(listen_fd_.get(), F_GETFL) | O_NONBLOCK);
  acceptor_ = std::thread([this] { accept_loop(); });
  return true;
}

void RaftListener::stop() {
  if (!acceptor_.joinable()) return;
  wake_.wake();
  acceptor_.join();
  std::list<std::unique_ptr<Inbound>> inbound;
  {
    std::lock_guard lock(mu_);
    inbound.swap(inbound_);
  }
  for (auto& in : inbound) in->thread.join();
  listen_fd_.reset();
}

std::size_t RaftListener::open_connections() {
  std::lock_guard lock(mu_);
  std::size_t open = 0;
  for (const auto& in : inbound_) {
    if (!in->done.load()) ++open;
  }
  return open;
}

void RaftListener::log(const std::string& line) const { std::cerr << log_prefix_ + line + "\n"; }

std::string RaftListener::name_of(std::uint32_t peer) const {
  const auto it = peers_.find(peer);
  return it != peers_.end() ? it->second : "member " + std::to_string(peer);
}

void RaftListener::accept_loop() {
  while (true) {
    const net::Wait wait = net::wait_for(listen_fd_.get(), POLLIN, milliseconds(-1), wake_);
    if (wait == net::Wait::woken) return;
    net::Fd fd(::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED) continue;
      // Out of descriptors or memory: pause rather than spin on the error.
      log("raft port " + bound_.to_string() + ": accept failed: " + net::errno_text());
      if (net::wait_for(listen_fd_.get(), 0, kAcceptErrorPause, wake_) == net::Wait::woken) return;
      continue;
    }
    std::lock_guard lock(mu_);
    // Reap readers that have finished; their descriptors close here.
    for (auto it = inbound_.begin(); it != inbound_.end();) {
      if ((*it)->done.load()) {
        (*it)->thread.join();
        it = inbound_.erase(it);
      } else {
        ++it;
      }
    }
    const std::string remote = net::peer_address(fd.get());
    if (inbound_.size() >= max_inbound_) {
      log("raft connection from " + remote + " refused: already " + std::to_string(inbound_.size()) +
          " open (the limit for " + std::to_string(peers_.size()) + " peers)");
      continue;
    }
    auto in = std::make_unique<Inbound>();
    in->fd = std::move(fd);
    in->remote = remote;
    Inbound& ref = *in;
    inbound_.push_back(std::move(in));
    ref.thread = std::thread([this, &ref] { read_loop(ref); });
  }
}

void RaftListener::claim(Inbound& in, std::uint32_t peer) {
  std::lock_guard lock(mu_);
  for (auto& other : inbound_) {
    if (other.get() != &in && other->peer == peer && !other->done.load()) {
      other->replaced = true;
      ::shutdown(other->fd.get(), SHUT_RDWR);  // its reader sees the end of the stream
    }
  }
  in.peer = peer;
}

void RaftListener::read_loop(Inbound& in) {
  const int fd = in.fd.get();
  net::FrameReader reader;
  std::vector<char> chunk(kReadChunk);
  std::optional<Hello> hello;
  const auto hello_deadline = Clock::now() + hello_timeout_;
  std::vector<raft::Message> batch;
  std::string payload;
  std::string why;  // set when the stream is closed for a reason worth a log line
  bool ended = false;
  bool reset_by_peer = false;
  while (why.empty() && !ended) {
    const auto timeout =
        hello ? milliseconds(-1)
              : std::max(milliseconds(0),
                         std::chrono::duration_cast<milliseconds>(hello_deadline - Clock::now()));
    const net::Wait wait = net::wait_for(fd, POLLIN, timeout, wake_);
    if (wait == net::Wait::woken) break;
    if (wait == net::Wait::timeout) {
      why = "no hello within " + std::to_string(hello_timeout_.count()) + " ms";
      break;
    }
    const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n < 0) {
      reset_by_peer = errno == ECONNRESET;
      why = "read: " + net::errno_text();
      break;
    }
    if (n == 0) {
      if (reader.buffered() > 0) {
        why = "stream torn inside a frame (" + std::to_string(reader.buffered()) + " bytes of it)";
      }
      ended = true;
      break;
    }
    reader.feed(chunk.data(), static_cast<std::size_t>(n));
    while (why.empty()) {
      const auto next = reader.next(payload, why);
      if (next != net::FrameReader::Next::frame) break;
      if (!hello) {
        hello = decode_hello(payload, why);
        if (!hello) break;
        if (hello->to != self_) {
          why = "hello for member " + std::to_string(hello->to) + ", but this is member " +
                std::to_string(self_) + " (check the members' raft addresses)";
        } else if (!token_.empty() && !util::tokens_equal(hello->token, token_)) {
          why = std::string("refused: ") + (hello->token.empty() ? "no cluster token" : "wrong cluster token") +
                " in the hello (systemConfig.cluster.token must be the same on every member)";
        } else if (peers_.count(hello->from) == 0) {
          why = "hello from member " + std::to_string(hello->from) + ", not a peer of this group";
        } else {
          claim(in, hello->from);
        }
        continue;
      }
      if (auto message = decode_message(payload, *hello, why)) batch.push_back(std::move(*message));
    }
    // Messages decoded before a malformed frame are sound: they still count.
    if (!batch.empty()) {
      deliver_(batch);
      batch.clear();
    }
  }
  bool replaced = false;
  {
    std::lock_guard lock(mu_);
    replaced = in.replaced;
  }
  if (!why.empty()) {
    const std::string who = hello ? " (" + name_of(hello->from) + ")" : "";
    log("raft connection from " + in.remote + who + " closed: " + why);
  } else if (ended && hello) {
    log("raft stream from " + name_of(hello->from) + " (" + in.remote + ") " +
        (replaced ? "replaced by a newer one" : "ended by the peer"));
  }
  ::shutdown(fd, SHUT_RDWR);
  const bool peer_closed = hello && !replaced && (ended || reset_by_peer);
  if (peer_closed && closed_) closed_(hello->from);
  in.done.store(true);
}

}  // namespace faultline::coordinator
