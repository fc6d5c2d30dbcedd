// A process that holds a fabric dies by SIGKILL: afterwards no namespace of
// it exists anywhere on the system, and the host's links, namespaces and
// ruleset are as before.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <sstream>

#include "tests/netns/netns_support.hpp"

extern char** environ;

namespace faultline::netns {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    ::closedir(d);
  }
  return names;
}

// Every nsfs inode in `wanted` that some process or thread still holds: as
// its network namespace, or as an open descriptor.
std::set<std::uint64_t> still_held(const std::set<std::uint64_t>& wanted, dev_t nsfs) {
  std::set<std::uint64_t> found;
  auto check = [&](const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && st.st_dev == nsfs && wanted.count(st.st_ino))
      found.insert(st.st_ino);
  };
  for (const auto& pid : entries("/proc")) {
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string base = "/proc/" + pid;
    for (const auto& tid : entries(base + "/task")) check(base + "/task/" + tid + "/ns/net");
    for (const auto& fd : entries(base + "/fd")) check(base + "/fd/" + fd);
  }
  return found;
}

TEST(NetnsCleanup, SigkillOfTheHolderFreesEveryNamespace) {
  FAULTLINE_REQUIRE_NETNS();
  const auto before = test::host_network();
  struct stat self {};
  ASSERT_EQ(::stat("/proc/self/ns/net", &self), 0);

  int out[2], in[2];
  ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
  ASSERT_EQ(::pipe2(in, O_CLOEXEC), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  char* argv[] = {const_cast<char*>(FAULTLINE_NETNS_HOLDER), nullptr};
  pid_t pid = -1;
  ASSERT_EQ(::posix_spawn(&pid, FAULTLINE_NETNS_HOLDER, &actions, nullptr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(in[0]);

  // The holder reports its namespaces' inodes on one line.
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buffer[256];
    const ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
  }
  std::set<std::uint64_t> inodes;
  std::istringstream numbers(line);
  for (std::uint64_t inode; numbers >> inode;) inodes.insert(inode);
  ASSERT_EQ(inodes.size(), 4u) << "holder said: '" << line << "'";

  EXPECT_EQ(still_held(inodes, self.st_dev), inodes) << "the holder's namespaces are not visible";
  EXPECT_EQ(test::host_network(), before) << "the holder's fabric leaked into the host";

  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ::close(out[0]);
  ::close(in[1]);

  // The ip/nft/tc children are gone too (PDEATHSIG, and they had finished),
  // so nothing anywhere holds the namespaces.
  EXPECT_TRUE(test::eventually([&] { return still_held(inodes, self.st_dev).empty(); },
                               milliseconds(10000)))
      << still_held(inodes, self.st_dev).size() << " namespaces still held";
  EXPECT_EQ(test::host_network(), before);
}

}  // namespace
}  // namespace faultline::netns
