// The cluster's two tokens at the coordinator's HTTP endpoints
// (docs/reference-cluster.md, "Tokens"): the cluster token on what members
// send each other (node registration and heartbeats, pin forwarding between
// coordinators), the admin token on the admin failpoints. Both travel as
// `Authorization: Bearer <token>` and are compared in constant time.
#include "cluster/coordinator/coordinator.hpp"
#include "cluster/http/bearer.hpp"

namespace faultline::coordinator {

std::optional<http::Response> Coordinator::refuse_without_cluster_token(const http::Request& request,
                                                                        const char* what) const {
  return http::refuse_without_token(
      request, config_.settings.token,
      {"cluster token", "systemConfig.cluster.token", what, "faultline coordinator " + config_.name + ": "});
}

std::optional<http::Response> Coordinator::refuse_without_admin_token(const http::Request& request,
                                                                      const char* what) const {
  return http::refuse_without_token(
      request, config_.settings.admin_token,
      {"admin token", "systemConfig.cluster.adminToken", what, "faultline coordinator " + config_.name + ": "});
}

http::Headers Coordinator::cluster_auth_headers() const { return http::bearer_headers(config_.settings.token); }

}  // namespace faultline::coordinator
