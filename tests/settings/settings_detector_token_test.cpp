// systemConfig.cluster.coordinator.failureDetector* and the cluster's
// tokens: read with their defaults, and every mistake named by file, JSON
// path and what was expected.
#include <gtest/gtest.h>

#include "cluster/settings/settings.hpp"

namespace faultline::settings {
namespace {

using Json = nlohmann::json;

Json coordinator_doc() {
  return Json{{"systemConfig",
               {{"cluster", {{"enabled", true}, {"mode", "coordinator"}, {"coordinator", Json::object()}}}}}};
}

std::string one_error(const Json& doc) {
  std::vector<std::string> errors;
  EXPECT_FALSE(parse_settings(doc, "mcp_settings.json", errors).has_value());
  EXPECT_EQ(errors.size(), 1u) << join_errors(errors);
  return errors.empty() ? "" : errors[0];
}

TEST(SettingsDetector, DefaultsToMCPHubsFixedTimeout) {
  std::vector<std::string> errors;
  const auto s = parse_settings(coordinator_doc(), "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_EQ(s->coordinator.failure_detector, FailureDetector::fixed);
  EXPECT_DOUBLE_EQ(s->coordinator.failure_detector_k, 3.0);
  EXPECT_EQ(s->coordinator.failure_detector_misses, 3);
  EXPECT_EQ(s->coordinator.failure_detector_window, 100);
  EXPECT_EQ(s->coordinator.failure_detector_min_samples, 10);
  EXPECT_TRUE(s->token.empty());
  EXPECT_TRUE(s->admin_token.empty());
}

TEST(SettingsDetector, ReadsTheAdaptiveDetectorsFields) {
  Json doc = coordinator_doc();
  doc["systemConfig"]["cluster"]["coordinator"] = Json{{"failureDetector", "adaptive"},
                                                       {"failureDetectorK", 2.5},
                                                       {"failureDetectorMisses", 4},
                                                       {"failureDetectorWindow", 50},
                                                       {"failureDetectorMinSamples", 20}};
  std::vector<std::string> errors;
  const auto s = parse_settings(doc, "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_EQ(s->coordinator.failure_detector, FailureDetector::adaptive);
  EXPECT_DOUBLE_EQ(s->coordinator.failure_detector_k, 2.5);
  EXPECT_EQ(s->coordinator.failure_detector_misses, 4);
  EXPECT_EQ(s->coordinator.failure_detector_window, 50);
  EXPECT_EQ(s->coordinator.failure_detector_min_samples, 20);
}

TEST(SettingsDetector, MistakesNameTheirPath) {
  Json doc = coordinator_doc();
  doc["systemConfig"]["cluster"]["coordinator"]["failureDetector"] = "phi";
  auto e = one_error(doc);
  EXPECT_NE(e.find("mcp_settings.json: $.systemConfig.cluster.coordinator.failureDetector: expected one of fixed | adaptive"),
            std::string::npos)
      << e;
  doc = coordinator_doc();
  doc["systemConfig"]["cluster"]["coordinator"]["failureDetectorK"] = "3";
  e = one_error(doc);
  EXPECT_NE(e.find("coordinator.failureDetectorK: expected a number"), std::string::npos) << e;
  doc = coordinator_doc();
  doc["systemConfig"]["cluster"]["coordinator"]["failureDetectorMisses"] = 0;
  e = one_error(doc);
  EXPECT_NE(e.find("coordinator.failureDetectorMisses: expected an integer in 1..100"), std::string::npos) << e;
  doc = coordinator_doc();
  doc["systemConfig"]["cluster"]["coordinator"]["failureDetectorWindow"] = 20;
  doc["systemConfig"]["cluster"]["coordinator"]["failureDetectorMinSamples"] = 30;
  e = one_error(doc);
  EXPECT_NE(e.find("coordinator.failureDetectorMinSamples: expected at most failureDetectorWindow (20)"),
            std::string::npos)
      << e;
}

TEST(SettingsTokens, ReadsBothTokens) {
  Json doc = coordinator_doc();
  doc["systemConfig"]["cluster"]["token"] = "0123456789abcdef0123";
  doc["systemConfig"]["cluster"]["adminToken"] = "fedcba9876543210fedc";
  std::vector<std::string> errors;
  const auto s = parse_settings(doc, "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_EQ(s->token, "0123456789abcdef0123");
  EXPECT_EQ(s->admin_token, "fedcba9876543210fedc");
}

TEST(SettingsTokens, AMalformedTokenIsRefusedWithItsPath) {
  for (const Json& bad : {Json(12345), Json("short"), Json("with a space in it......"), Json("")}) {
    Json doc = coordinator_doc();
    doc["systemConfig"]["cluster"]["token"] = bad;
    const auto e = one_error(doc);
    EXPECT_NE(e.find("mcp_settings.json: $.systemConfig.cluster.token: expected a string of 16 to 4096 visible ASCII"),
              std::string::npos)
        << e;
  }
  Json doc = coordinator_doc();
  doc["systemConfig"]["cluster"]["adminToken"] = Json::array();
  const auto e = one_error(doc);
  EXPECT_NE(e.find("$.systemConfig.cluster.adminToken: expected a string"), std::string::npos) << e;
}

}  // namespace
}  // namespace faultline::settings
