#include "cluster/http/bearer.hpp"

#include <cctype>
#include <iostream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cluster/util/secret.hpp"

namespace faultline::http {
namespace {

// The token of "Authorization: Bearer <token>"; nullopt when the header is
// absent or of another scheme.
std::optional<std::string> bearer_of(const Request& request) {
  const std::string& header = request.header("authorization");
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() < kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return std::nullopt;
  }
  std::string token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.erase(token.begin());
  return token;
}

}  // namespace

std::optional<Response> refuse_without_token(const Request& request, const std::string& expected,
                                             const TokenCheck& check) {
  if (expected.empty()) return std::nullopt;
  const auto presented = bearer_of(request);
  if (presented && util::tokens_equal(*presented, expected)) return std::nullopt;
  const std::string problem = presented ? std::string("wrong ") + check.token_name : std::string("no ") + check.token_name;
  std::cerr << check.log_prefix << "refused " << check.what << " from " << request.remote << ": " << problem << "\n";
  Response out = json_response(
      401, nlohmann::json{{"success", false},
                          {"message", problem + ": send Authorization: Bearer <" + check.field + ">"}}
               .dump());
  out.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"faultline\"");
  return out;
}

Headers bearer_headers(const std::string& token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}

}  // namespace faultline::http
