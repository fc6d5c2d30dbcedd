// A blocking HTTP client on libcurl, for members talking to each other and for
// the drill runner's workload and probes.
//
// One Client keeps one connection cache; it is not thread-safe: give each
// thread its own Client.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace faultline::http {

struct ClientResponse {
  // Transport outcome. `sent` tells whether the request may have reached the
  // server: a refused connection is certainly not applied, a timeout after
  // sending may have been. Callers use it to classify operations as failed
  // (definitely not applied) or unknown.
  enum class Transport { ok, refused, timeout, error };
  Transport transport = Transport::error;
  bool maybe_sent = false;
  long status = 0;
  std::string body;
  std::string error;
  // Response header names in lower case; the last value of a repeated one.
  std::map<std::string, std::string> headers;

  bool ok() const { return transport == Transport::ok; }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// What one request sends besides method, URL and body.
struct RequestOptions {
  long timeout_ms = 1000;         // the whole exchange
  long connect_timeout_ms = 0;    // 0: the whole timeout
  Headers headers;                // sent in addition to (or replacing) Content-Type: application/json
};

class Client {
 public:
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  ClientResponse request(const std::string& method, const std::string& url,
                         const std::string& body, long timeout_ms);
  ClientResponse request(const std::string& method, const std::string& url, const std::string& body,
                         const RequestOptions& options);
  ClientResponse get(const std::string& url, long timeout_ms) {
    return request("GET", url, "", timeout_ms);
  }
  // Every later request leaves from this local address (empty: the kernel's
  // choice). The drill runner's clients and its observer use different
  // addresses so that a fault on the clients' links never touches the observer.
  void set_source_address(std::string address);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faultline::http
