// The built-in MCP test servers, so that a cluster needs nothing else:
// `faultline mcp-server echo|counter|kv|sleep` speaks MCP over stdio.
//
//   echo     echo {message}            -> the message back
//   counter  increment {by?=1}, get, reset
//                                      -> {"session", "count"}: per client
//                                         session (params._meta["faultline/session"],
//                                         "default" without one), the state
//                                         that makes stickiness matter
//   kv       put {key, value}, get {key}, delete {key}, list
//                                      -> one store shared by every session
//   sleep    sleep {ms 0..60000}       -> answers after ms (concurrently)
//
// Each answers initialize (negotiating the version), ping, tools/list and
// tools/call; tool results carry a text item with the JSON and the same as
// structuredContent. Unknown tools and bad arguments are JSON-RPC errors
// (-32602), as MCP specifies.
//
// Thread-safety: BuiltinServer::handle is thread-safe (sleep calls run on
// their own threads).
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster/mcp/jsonrpc.hpp"

namespace faultline::mcp {

const std::vector<std::string>& builtin_names();

class BuiltinServer {
 public:
  // nullptr when `name` is not one of builtin_names().
  static std::unique_ptr<BuiltinServer> make(const std::string& name);
  const std::string& name() const { return name_; }
  // The answer to one message; nullopt for notifications and responses.
  std::optional<Json> handle(const Json& message);
  // The arguments of a tools/call of `sleep` (ms) when `message` is one; the
  // stdio loop runs those on their own threads.
  static std::optional<std::int64_t> sleep_ms(const Json& message);

 private:
  explicit BuiltinServer(std::string name) : name_(std::move(name)) {}
  Json tools() const;
  Json call_tool(const Json& id, const Json& params);

  const std::string name_;
  std::mutex mu_;
  std::map<std::string, std::int64_t> counts_;      // counter, by session; guarded by mu_
  std::map<std::string, std::string> store_;        // kv; guarded by mu_
};

// Runs `name` on the given streams until `in` ends: 0, or 2 for an unknown
// name (with the names on `err`).
int run_builtin_server(const std::string& name, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace faultline::mcp
