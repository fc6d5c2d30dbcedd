// libfaketime for targets: which programs it can reach, what a member is
// started with, and the control file it reads.
#include "drills/targets/faketime.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace faultline::targets {
namespace {

TEST(Faketime, ADynamicallyLinkedProgramOrAScriptCanTakeIt) {
  EXPECT_EQ(static_binary("sh"), std::nullopt);  // looked up on PATH
  const auto script = std::filesystem::temp_directory_path() / ("faultline-ft-" + std::to_string(::getpid()));
  std::ofstream(script) << "#!/bin/sh\nexec date\n";
  EXPECT_EQ(static_binary(script.string()), std::nullopt);
  std::filesystem::remove(script);
}

TEST(Faketime, AStaticallyLinkedProgramCannotAndTheReasonSaysWhy) {
  // Debian's ldconfig is static-pie: no program interpreter, like a Go binary.
  if (!std::filesystem::exists("/sbin/ldconfig")) GTEST_SKIP() << "no /sbin/ldconfig to stand for a static binary";
  const auto why = static_binary("/sbin/ldconfig");
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("statically linked"), std::string::npos) << *why;
  EXPECT_NE(static_binary("/nonexistent/etcd")->find("cannot read"), std::string::npos);
}

TEST(Faketime, MembersStartWithTheLibraryAndTheirControlFileAtZero) {
  const auto file = std::filesystem::temp_directory_path() / ("faultline-ft-rc-" + std::to_string(::getpid()));
  std::string error;
  ASSERT_TRUE(write_faketime_offset(file, 0, error)) << error;
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "+0.000");
  ASSERT_TRUE(write_faketime_offset(file, -2500, error)) << error;
  std::ifstream again(file);
  std::getline(again, line);
  EXPECT_EQ(line, "-2.500");
  const auto env = faketime_env("/usr/lib/libfaketime.so.1", file);
  ASSERT_EQ(env.size(), 4u);
  EXPECT_EQ(env[0], (std::pair<std::string, std::string>{"LD_PRELOAD", "/usr/lib/libfaketime.so.1"}));
  EXPECT_EQ(env[2].first, "FAKETIME_NO_CACHE");
  EXPECT_EQ(env[3].first, "FAKETIME_DONT_FAKE_MONOTONIC");
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace faultline::targets
