// A port reserved the way the drill runner reserves a member's port: a bound,
// never listening SO_REUSEPORT socket held open, so that nothing else can
// take the port while the member that will bind it beside is not running.
#pragma once

#include <string>

namespace faultline::testing {

class HeldPort {
 public:
  // Binds `host`:0; port() is 0 (and error() says why) when that failed.
  explicit HeldPort(const std::string& host = "127.0.0.1");
  ~HeldPort();
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;

  int port() const { return port_; }
  const std::string& error() const { return error_; }
  // True while the reserving socket is still bound to the port.
  bool still_bound() const;

 private:
  int fd_ = -1;
  int port_ = 0;
  std::string error_;
};

}  // namespace faultline::testing
