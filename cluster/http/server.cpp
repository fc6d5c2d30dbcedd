#include "cluster/http/server.hpp"

#include <httplib.h>

#include <cctype>
#include <thread>

#include "cluster/net/socket.hpp"

namespace faultline::http {

struct Server::Impl {
  httplib::Server server;
  std::thread thread;
};

namespace {

httplib::Server::Handler adapt(Handler handler) {
  return [handler = std::move(handler)](const httplib::Request& in, httplib::Response& out) {
    Request request;
    request.method = in.method;
    request.path = in.path;
    for (std::size_t i = 1; i < in.matches.size(); ++i) request.captures.push_back(in.matches[i]);
    for (const auto& [k, v] : in.params) request.query.emplace(k, v);
    for (const auto& [name, value] : in.headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace(std::move(lower), value);
    }
    request.body = in.body;
    request.remote = in.remote_addr + ":" + std::to_string(in.remote_port);
    Response response;
    try {
      response = handler(request);
    } catch (const std::exception& e) {
      response.status = 500;
      response.body = std::string(R"({"success":false,"error":"internal error: )") + e.what() + "\"}";
    }
    out.status = response.status;
    for (const auto& [name, value] : response.headers) out.set_header(name, value);
    // A body-less answer (202, 204) carries no Content-Type either.
    if (!response.body.empty() || response.status != 202) {
      out.set_content(response.body, response.content_type.c_str());
    }
  };
}

}  // namespace

const std::string& Request::header(const std::string& lower_name) const {
  static const std::string kNone;
  const auto it = headers.find(lower_name);
  return it == headers.end() ? kNone : it->second;
}

Server::Server(std::size_t threads) : impl_(std::make_unique<Impl>()) {
  impl_->server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Set on the listening socket; Linux copies TCP_NODELAY to every accepted
  // socket (the loopback benchmark, scripts/bench-http.sh, shows it).
  impl_->server.set_tcp_nodelay(true);
  impl_->server.set_socket_options([](int fd) { net::set_reuse_address_and_port(fd); });
  impl_->server.set_keep_alive_max_count(kKeepAliveMaxRequests);
  impl_->server.set_keep_alive_timeout(kKeepAliveIdleSeconds);
  // Errors are JSON with a message, like every answer of the APIs: an
  // unknown path (404) or method (405) would otherwise have no body.
  impl_->server.set_error_handler([](const httplib::Request& in, httplib::Response& out) {
    if (!out.body.empty()) return;
    const std::string what = out.status == 404 ? "no such endpoint: " : "not served: ";
    std::string text = what + in.method + " " + in.path;
    std::string escaped;
    for (char c : text) {
      if (c == '"' || c == '\\') escaped += '\\';
      if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
    }
    out.set_content("{\"success\":false,\"message\":\"" + escaped + "\"}", "application/json");
  });
  impl_->server.set_read_timeout(2, 0);
  impl_->server.set_write_timeout(2, 0);
}

Server::~Server() { stop(); }

void Server::get(const std::string& pattern, Handler handler) {
  impl_->server.Get(pattern, adapt(std::move(handler)));
}
void Server::post(const std::string& pattern, Handler handler) {
  impl_->server.Post(pattern, adapt(std::move(handler)));
}
void Server::put(const std::string& pattern, Handler handler) {
  impl_->server.Put(pattern, adapt(std::move(handler)));
}

void Server::del(const std::string& pattern, Handler handler) {
  impl_->server.Delete(pattern, adapt(std::move(handler)));
}

bool Server::start(const net::Endpoint& at, std::string& error) {
  int port = at.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(at.host);
  } else if (!impl_->server.bind_to_port(at.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    error = "cannot listen on " + at.to_string() +
            " (is the address this machine's, or the port taken?)";
    return false;
  }
  bound_ = net::Endpoint{at.host, static_cast<std::uint16_t>(port)};
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  return true;
}

void Server::stop() {
  if (impl_ && impl_->thread.joinable()) {
    impl_->server.stop();
    impl_->thread.join();
  }
}

}  // namespace faultline::http
