// ProxyEngine (the I/O context and its threads) and the LinkProxy handle.
#include <pthread.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <thread>
#include <vector>

#include "chaos/proxy/detail/asio.hpp"
#include "chaos/proxy/detail/link.hpp"
#include "chaos/proxy/proxy_engine.hpp"

namespace faultline::proxy {

namespace detail {

class EngineCore {
 public:
  explicit EngineCore(unsigned threads)
      : io_(static_cast<int>(threads)), work_(asio::make_work_guard(io_)) {
    threads_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) {
      // Created here, so they inherit the constructing thread's network
      // namespace: the contract of ProxyEngine.
      threads_.emplace_back([this] {
        ::pthread_setname_np(::pthread_self(), "proxy-io");
        io_.run();
      });
    }
  }

  ~EngineCore() {
    std::vector<std::shared_ptr<Link>> live;
    {
      std::lock_guard lock(mu_);
      for (auto& weak : links_) {
        if (auto link = weak.lock()) live.push_back(std::move(link));
      }
      links_.clear();
    }
    for (auto& link : live) link->close();
    work_.reset();
    io_.stop();
    for (auto& thread : threads_) thread.join();
    // Handles may outlive the engine; their I/O objects may not outlive io_.
    for (auto& link : live) link->release();
  }

  LinkResult create_link(const LinkSpec& spec) {
    if (auto e = validate_spec(spec)) {
      if (spec.listen_fd >= 0) ::close(spec.listen_fd);
      return {nullptr, *e};
    }
    auto link = std::make_shared<Link>(io_, spec);
    if (auto e = run_on(link->strand(), [&link] { return link->open(); })) return {nullptr, *e};
    {
      std::lock_guard lock(mu_);
      std::erase_if(links_, [](const std::weak_ptr<Link>& weak) { return weak.expired(); });
      links_.push_back(link);
    }
    return {std::make_unique<LinkProxy>(link), {}};
  }

  unsigned threads() const { return static_cast<unsigned>(threads_.size()); }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::vector<std::weak_ptr<Link>> links_;  // protected by mu_
};

}  // namespace detail

ProxyEngine::ProxyEngine(EngineOptions options)
    : core_(std::make_unique<detail::EngineCore>(options.threads == 0 ? 1 : options.threads)) {}

ProxyEngine::~ProxyEngine() = default;

LinkResult ProxyEngine::create_link(const LinkSpec& spec) {
  return core_->create_link(spec);
}

unsigned ProxyEngine::threads() const {
  return core_->threads();
}

LinkProxy::LinkProxy(std::shared_ptr<detail::Link> link) : link_(std::move(link)) {}

LinkProxy::~LinkProxy() {
  close();
}

const std::string& LinkProxy::name() const {
  return link_->spec().name;
}

std::uint16_t LinkProxy::port() const {
  return link_->port();
}

std::optional<std::string> LinkProxy::set_toxics(Direction direction, const Toxics& toxics) {
  return link_->set_toxics(direction, toxics);
}

Toxics LinkProxy::toxics(Direction direction) const {
  return link_->toxics(direction);
}

LinkStats LinkProxy::stats() const {
  return link_->stats();
}

void LinkProxy::close() {
  link_->close();
}

bool LinkProxy::closed() const {
  return link_->closed();
}

}  // namespace faultline::proxy
