// Bearer-token checks at the reference cluster's HTTP endpoints
// (docs/reference-cluster.md, "Tokens"): a token travels as
// `Authorization: Bearer <token>` and is compared in constant time.
#pragma once

#include <optional>
#include <string>

#include "cluster/http/client.hpp"
#include "cluster/http/server.hpp"

namespace faultline::http {

// What a refusal names: the token ("cluster token"), the settings field
// that holds it ("systemConfig.cluster.token"), what was refused ("a
// heartbeat (POST /api/nodes/heartbeat)") and the log line's prefix.
struct TokenCheck {
  const char* token_name;
  const char* field;
  const char* what;
  std::string log_prefix;
};

// nullopt when `expected` is empty (no token configured) or the request
// carries it; else a 401 with a JSON message and WWW-Authenticate, after a
// log line on standard error naming the remote address and the problem.
std::optional<Response> refuse_without_token(const Request& request, const std::string& expected,
                                             const TokenCheck& check);

// The header that carries `token`; none when it is empty.
Headers bearer_headers(const std::string& token);

}  // namespace faultline::http
