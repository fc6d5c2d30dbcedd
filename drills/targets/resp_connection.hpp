// One RESP connection to a Redis server or sentinel, through hiredis
// (Debian's libhiredis): hiredis formats the commands and parses the
// replies; this class only adds what the drills need around it — a
// connect and every command bounded by a deadline, a source address, and an
// honest account of whether a command that failed may have reached the
// server.
//
// The context is non-blocking; waits are poll(2) on its socket, so a frozen
// or cut-off server costs the caller its deadline, never more.
//
// Thread-safety: one connection per thread.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace faultline::targets {

using RespDeadline = std::chrono::steady_clock::time_point;

// A reply, copied out of hiredis' reply object.
struct RespValue {
  enum class Type { nil, status, error, integer, string, array };
  Type type = Type::nil;
  std::string text;  // status, error, string
  long long integer = 0;
  std::vector<RespValue> elements;

  bool is_error() const { return type == Type::error; }
  bool is_status(const char* s) const { return type == Type::status && text == s; }
  // The error's first word ("READONLY", "NOREPLICAS"), empty when not an error.
  std::string error_code() const;
};

// How a command went.
struct RespResult {
  enum class Outcome {
    reply,         // the server answered (an error reply included)
    not_sent,      // nothing reached the server: not connected, refused, or the send failed before a byte left
    lost,          // sent (at least partly), then the connection failed or the deadline passed: may have run
  };
  Outcome outcome = Outcome::not_sent;
  std::vector<RespValue> replies;  // one per command, when outcome is reply
  std::string error;               // what went wrong, otherwise
  bool ok() const { return outcome == Outcome::reply; }
};

class RespConnection {
 public:
  RespConnection() = default;
  ~RespConnection();
  RespConnection(const RespConnection&) = delete;
  RespConnection& operator=(const RespConnection&) = delete;

  // Connects to host:port from `source` (empty: the kernel's choice).
  // Returns the error ("connection refused", "connect timed out", ...).
  std::optional<std::string> connect(const std::string& host, int port, const std::string& source,
                                     RespDeadline deadline);
  bool connected() const { return context_ != nullptr; }
  void close();
  const std::string& host() const { return host_; }
  int port() const { return port_; }

  // Sends the commands in one write (a pipeline: the server runs them back
  // to back) and reads one reply for each. On any outcome but `reply` the
  // connection is closed.
  RespResult run(const std::vector<std::vector<std::string>>& commands, RespDeadline deadline);
  RespResult command(const std::vector<std::string>& args, RespDeadline deadline) { return run({args}, deadline); }

  // For a subscribed connection: waits for one pushed message until the
  // deadline. nullopt on timeout (the connection stays open) or when the
  // connection failed (then closed: check connected()).
  std::optional<RespValue> next_message(RespDeadline deadline);

 private:
  enum class Ready { yes, timeout, error };
  // Waits for `events` (or an error condition) on the socket.
  Ready wait_for(short events, RespDeadline deadline);
  // A complete reply from what was read so far, or nullopt; sets `failed`.
  std::optional<RespValue> parsed_reply(bool& failed);

  redisContext* context_ = nullptr;
  std::string host_;
  int port_ = 0;
};

}  // namespace faultline::targets
