// The embedded cluster's MCP workload client: each workload session is an
// MCP session (Streamable HTTP) on the `counter` server, opened through a
// coordinator by initialize, and each call a tools/call of `increment`.
// Key-value operations go to the plain client it wraps.
//
// A call's outcome, by the one rule of drills/targets/leader_client.hpp:
//  - 200 with a result: ok; the node that served it is X-MCPHub-Node, and a
//    move the router made on the way is X-Faultline-Moved-From/-Move-Cause;
//  - 404 (the session is unknown: its pin expired or was lost): the client
//    opens a new session, as the transport specifies, and sends the call
//    again; the outcome is journaled as reinitialized;
//  - refused, 503 (no node, no leader yet), 421: certainly not run; the next
//    coordinator is tried until the deadline;
//  - 504, a timeout after sending, a JSON-RPC error: maybe run: unknown.
// The coordinator tried first is the client's own (index modulo the
// coordinators), so sessions enter the cluster through all of them.
#include <thread>

#include "cluster/http/client.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {
namespace {

constexpr auto kRetryPause = std::chrono::milliseconds(15);

class EmbeddedMcpClient final : public KvClient {
 public:
  EmbeddedMcpClient(std::unique_ptr<KvClient> kv, std::vector<std::string> urls, std::vector<std::string> ids,
                    std::size_t start, const std::string& source)
      : kv_(std::move(kv)), urls_(std::move(urls)), ids_(std::move(ids)), at_(urls_.empty() ? 0 : start % urls_.size()) {
    http_.set_source_address(source);
  }

  OpAttempt put(const std::string& key, const std::string& value, Deadline deadline) override {
    return kv_->put(key, value, deadline);
  }
  OpAttempt get(const std::string& key, Deadline deadline, std::optional<std::size_t> anywhere) override {
    return kv_->get(key, deadline, anywhere);
  }

  OpAttempt call(const std::string& session, const std::string& call_id, Deadline deadline) override {
    OpAttempt out;
    out.error = "no coordinator answered the call before its deadline";
    bool reopened = false;
    while (remaining_ms(deadline) > 0) {
      std::string& mcp_session = sessions_[session];
      if (mcp_session.empty()) {
        const Json init{{"jsonrpc", "2.0"},
                        {"id", "init-" + call_id},
                        {"method", "initialize"},
                        {"params", Json{{"protocolVersion", "2025-06-18"},
                                        {"capabilities", Json::object()},
                                        {"clientInfo", Json{{"name", "faultline-workload"}, {"version", "1"}}}}}};
        const auto r = post(init, "", deadline);
        out.member = ids_[at_];
        if (!r.ok() || r.status != 200 || header(r, "mcp-session-id").empty()) {
          if (!definite(r)) return unknown(out, r);
          next(out, r);
          continue;
        }
        mcp_session = header(r, "mcp-session-id");
        post(Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}, mcp_session, deadline);
      }
      const Json call{{"jsonrpc", "2.0"},
                      {"id", call_id},
                      {"method", "tools/call"},
                      {"params", Json{{"name", "increment"}, {"arguments", Json::object()}}}};
      const auto r = post(call, mcp_session, deadline);
      out.member = ids_[at_];
      if (r.ok() && r.status == 404) {
        mcp_session.clear();  // unknown session: open a new one and call again
        reopened = true;
        continue;
      }
      if (r.ok() && r.status == 200) {
        const Json body = Json::parse(r.body, nullptr, false);
        if (body.is_object() && body.contains("result")) {
          out.result = "ok";
          out.error.clear();
          out.worker = header(r, "x-mcphub-node");
          const std::string moved = header(r, "x-faultline-moved-from");
          out.moved_from = moved.empty() ? Json(nullptr) : Json(moved);
          const std::string cause = header(r, "x-faultline-move-cause");
          out.cause = cause.empty() ? Json(nullptr) : Json(cause);
          out.reinitialized = reopened;
          return out;
        }
        out.result = "unknown";
        out.error = "JSON-RPC error: " + (body.is_object() && body.contains("error") ? body["error"].dump() : r.body);
        return out;
      }
      if (!definite(r)) return unknown(out, r);
      next(out, r);
    }
    return out;
  }

 private:
  static long remaining_ms(Deadline deadline) {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
  }
  static std::string header(const http::ClientResponse& r, const std::string& name) {
    const auto it = r.headers.find(name);
    return it == r.headers.end() ? "" : it->second;
  }
  static bool definite(const http::ClientResponse& r) {
    if (r.transport == http::ClientResponse::Transport::refused) return true;
    if (!r.ok()) return !r.maybe_sent;
    return r.status == 421 || r.status == 503;
  }
  static std::string describe(const http::ClientResponse& r) {
    return r.ok() ? "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200) : r.error;
  }
  OpAttempt unknown(OpAttempt& out, const http::ClientResponse& r) {
    out.result = "unknown";
    out.error = describe(r);
    at_ = (at_ + 1) % urls_.size();
    return out;
  }
  void next(OpAttempt& out, const http::ClientResponse& r) {
    out.error = describe(r);
    at_ = (at_ + 1) % urls_.size();
    std::this_thread::sleep_for(kRetryPause);
  }
  http::ClientResponse post(const Json& message, const std::string& session, Deadline deadline) {
    http::RequestOptions options;
    options.timeout_ms = std::max(1L, remaining_ms(deadline));
    options.headers = {{"Accept", "application/json, text/event-stream"}};
    if (!session.empty()) options.headers.emplace_back("Mcp-Session-Id", session);
    return http_.request("POST", urls_[at_] + "/mcp/counter", message.dump(), options);
  }

  std::unique_ptr<KvClient> kv_;
  const std::vector<std::string> urls_;
  const std::vector<std::string> ids_;
  std::size_t at_;
  std::map<std::string, std::string> sessions_;  // workload session -> Mcp-Session-Id
  http::Client http_;
};

}  // namespace

std::unique_ptr<KvClient> make_mcp_client(std::unique_ptr<KvClient> kv, std::vector<std::string> urls,
                                          std::vector<std::string> ids, std::size_t start, const std::string& source) {
  return std::make_unique<EmbeddedMcpClient>(std::move(kv), std::move(urls), std::move(ids), start, source);
}

}  // namespace faultline::targets
