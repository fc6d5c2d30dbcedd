#include "drills/runner/host_forwards.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace faultline::runner {
namespace {

// A socket bound to 127.0.0.1:0 in the namespace the calling thread is in.
int bind_loopback(std::string& error) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    error = std::string("bind 127.0.0.1:0: ") + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

HostForwards::~HostForwards() {
  links_.clear();
  engine_.reset();
}

bool HostForwards::open(const netns::Namespace& host, const targets::Target& target, std::string& error) {
  for (const auto& m : target.members()) {
    nlohmann::json entry{{"member", m.id}, {"url", m.url}, {"host_url", m.url}};
    if (m.host.rfind("127.", 0) != 0 && m.ports.count("api")) {
      if (!engine_) engine_ = std::make_unique<proxy::ProxyEngine>();
      int fd = -1;
      std::string bind_error;
      if (auto failed = netns::run_on_thread_in(host, [&] { fd = bind_loopback(bind_error); })) {
        error = *failed;
        return false;
      }
      if (fd < 0) {
        error = bind_error;
        return false;
      }
      proxy::LinkSpec spec;
      spec.name = "host->" + m.id;
      spec.listen_fd = fd;
      spec.upstream = {m.host, static_cast<std::uint16_t>(m.ports.at("api"))};
      auto made = engine_->create_link(spec);
      if (!made.ok()) {
        error = made.error;
        return false;
      }
      entry["host_url"] = "http://127.0.0.1:" + std::to_string(made.link->port());
      links_.push_back(std::move(made.link));
    }
    described_.push_back(entry);
  }
  return true;
}

}  // namespace faultline::runner
