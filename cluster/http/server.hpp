// A small HTTP/1.1 server for the reference cluster's APIs.
//
// The server owns a pool of worker threads (cpp-httplib's); handlers run
// concurrently on them, so a handler must be thread-safe. cpp-httplib itself
// stays inside server.cpp: it is a heavy header.
//
// Connections are kept alive, with TCP_NODELAY (cpp-httplib writes a
// response's headers and body in two writes; with Nagle's algorithm the body
// would wait for the client's delayed ACK, ~40 ms). A kept-alive connection
// holds one pool thread for as long as it is open, idle or not, so a
// connection idle for kKeepAliveIdle is closed, and one is closed after
// kKeepAliveMaxRequests requests. A pool smaller than the connections open at
// once makes new connections queue until an open one is closed: size it for
// the connections the process can be sent (see its callers).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cluster/net/endpoint.hpp"

namespace faultline::http {

struct Request {
  std::string method;
  std::string path;
  std::vector<std::string> captures;  // regex groups of the route pattern, in order
  std::map<std::string, std::string> query;
  // Header names in lower case (HTTP names are case-insensitive); a header
  // sent more than once keeps its first value.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string remote;  // the client's "IP:PORT"

  // The header's value, or "" when absent; `lower_name` in lower case.
  const std::string& header(const std::string& lower_name) const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
};

inline Response json_response(int status, std::string body) {
  return Response{status, std::move(body), "application/json", {}};
}

using Handler = std::function<Response(const Request&)>;

class Server {
 public:
  static constexpr int kKeepAliveIdleSeconds = 1;
  static constexpr std::size_t kKeepAliveMaxRequests = 1000;

  // `threads`: the pool that runs handlers; a handler that blocks (waiting
  // on a commit) holds one for as long.
  explicit Server(std::size_t threads = 16);
  ~Server();  // stops and joins
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Routes take an ECMAScript regex matched against the whole path.
  void get(const std::string& pattern, Handler handler);
  void post(const std::string& pattern, Handler handler);
  void put(const std::string& pattern, Handler handler);
  void del(const std::string& pattern, Handler handler);

  // Binds exactly `at` (port 0 picks a free one) with SO_REUSEADDR and
  // SO_REUSEPORT (net::set_reuse_address_and_port: a port reserved by the
  // drill runner can be bound) and serves on a background thread. Returns
  // false with `error` set if the address cannot be bound.
  bool start(const net::Endpoint& at, std::string& error);
  // The address bound by start().
  const net::Endpoint& bound() const { return bound_; }
  int port() const { return bound_.port; }
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  net::Endpoint bound_;
};

}  // namespace faultline::http
