// The cluster's two tokens at the coordinator's HTTP endpoints
// (docs/reference-cluster.md, "Tokens"): the cluster token on what members
// send each other (node registration and heartbeats, pin forwarding between
// coordinators), the admin token on the admin failpoints. Both travel as
// `Authorization: Bearer <token>` and are compared in constant time.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cluster/coordinator/coordinator.hpp"
#include "cluster/util/secret.hpp"

namespace faultline::coordinator {

namespace {

// The token of "Authorization: Bearer <token>"; nullopt when the header is
// absent or of another scheme.
std::optional<std::string> bearer_of(const http::Request& request) {
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

std::optional<http::Response> refuse_unless(const http::Request& request, const std::string& expected,
                                            const char* token_name, const char* field, const char* what,
                                            const std::string& log_prefix) {
  if (expected.empty()) return std::nullopt;
  const auto presented = bearer_of(request);
  if (presented && util::tokens_equal(*presented, expected)) return std::nullopt;
  const std::string problem = presented ? std::string("wrong ") + token_name : std::string("no ") + token_name;
  std::cerr << log_prefix << "refused " << what << " from " << request.remote << ": " << problem << "\n";
  http::Response out = http::json_response(
      401, nlohmann::json{{"success", false},
                          {"message", problem + ": send Authorization: Bearer <" + field + ">"}}
               .dump());
  out.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"faultline\"");
  return out;
}

}  // namespace

std::optional<http::Response> Coordinator::refuse_without_cluster_token(const http::Request& request,
                                                                        const char* what) const {
  return refuse_unless(request, config_.settings.token, "cluster token", "systemConfig.cluster.token", what,
                       "faultline coordinator " + config_.name + ": ");
}

std::optional<http::Response> Coordinator::refuse_without_admin_token(const http::Request& request,
                                                                      const char* what) const {
  return refuse_unless(request, config_.settings.admin_token, "admin token", "systemConfig.cluster.adminToken",
                       what, "faultline coordinator " + config_.name + ": ");
}

http::Headers Coordinator::cluster_auth_headers() const {
  if (config_.settings.token.empty()) return {};
  return {{"Authorization", "Bearer " + config_.settings.token}};
}

}  // namespace faultline::coordinator
