// Nothing a run does to the network outlives it, on every way out: a normal
// end, an abort (a fault that cannot be applied stops the run with others in
// force), a halt condition firing with both faults in force, SIGINT, SIGTERM
// and SIGKILL of the runner. Each test compares the
// host's namespaces (`ip netns list`), links (`ip -o link`) and ruleset (`nft
// list ruleset`) before and after, and looks for any process still running
// from the run's folder.
#include <gtest/gtest.h>

#include <dirent.h>
#include <signal.h>

#include <fstream>

#include "chaos/netns/probe.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using namespace std::chrono_literals;

const std::string kPlan = std::string(FAULTLINE_SOURCE_DIR) + "/tests/drill/plans/network-revert.json";

std::string host_state() {
  std::string all;
  for (const char* cmd : {"ip netns list", "ip -o link", "nft list ruleset"}) {
    FILE* p = ::popen(cmd, "r");
    char buf[4096];
    std::size_t n;
    while (p != nullptr && (n = std::fread(buf, 1, sizeof buf, p)) > 0) all.append(buf, n);
    if (p != nullptr) ::pclose(p);
  }
  return all;
}

// Pids of processes whose command line names `dir` (the run's members).
std::vector<int> processes_naming(const std::filesystem::path& dir) {
  std::vector<int> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(dir.string()) != std::string::npos && process_alive(std::stoi(name))) {
      out.push_back(std::stoi(name));
    }
  }
  return out;
}

class NetworkRevert : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto probe = netns::probe(); !probe.available) GTEST_SKIP() << probe.reason;
    before_ = host_state();
  }
  void TearDown() override {
    if (before_.empty()) return;
    EXPECT_TRUE(wait_until([&] { return processes_naming(dir_).empty(); }, 15s))
        << "processes of the run outlived it";
    EXPECT_TRUE(wait_until([&] { return host_state() == before_; }, 15s))
        << "the host's namespaces, links or ruleset changed:\n" << host_state();
    std::filesystem::remove_all(dir_);
  }
  // Starts the run and waits until both faults are in force.
  std::unique_ptr<CliProcess> start_in_faults(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"run", kPlan, "--out", (dir_ / "run").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto process = std::make_unique<CliProcess>(args, dir_);
    EXPECT_TRUE(wait_until(
        [&] {
          int injected = 0;
          for (const auto& e : journal_events(dir_ / "run" / "journal.jsonl")) injected += e.value("kind", "") == "fault.inject";
          return injected >= 2;
        },
        60s))
        << "the faults were never both in force";
    return process;
  }
  std::filesystem::path dir_ = scratch_dir("network-revert");
  std::string before_;
};

TEST_F(NetworkRevert, NormalEnd) {
  const auto result = run_cli({"run", kPlan, "--out", (dir_ / "run").string()}, 120s);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  int healed = 0;
  for (const auto& e : journal_events(dir_ / "run" / "journal.jsonl")) healed += e.value("kind", "") == "fault.heal";
  EXPECT_EQ(healed, 2);
}

TEST_F(NetworkRevert, AbortWithFaultsInForce) {
  // A third fault that cannot be applied (a ring of three voters) stops the
  // run with the partition and the latency in force.
  const auto result = run_cli({"run", kPlan, "--out", (dir_ / "run").string(), "--set",
                               R"(faults[2]={"kind":"partition","shape":"ring","at_ms":2000})"},
                              120s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("a ring needs at least 4 voters"), std::string::npos) << result.err;
  int healed = 0;
  for (const auto& e : journal_events(dir_ / "run" / "journal.jsonl")) healed += e.value("kind", "") == "fault.heal";
  EXPECT_EQ(healed, 2) << "both faults in force must be healed on the way out";
}

TEST_F(NetworkRevert, HaltWithFaultsInForce) {
  // A probe that always fails (used by the halt only), so the halt fires for
  // certain half a second into the faults, with the partition and the
  // latency both in force; what is under test is the way out, not detection.
  const auto result = run_cli({"run", kPlan, "--out", (dir_ / "run").string(), "--set",
                               R"(steady_state.probes=[{"name":"never","kind":"command","argv":["false"],"when":[]}])",
                               "--set", R"(halt=[{"probe":"never","for_ms":500}])"},
                              120s);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("HALTED"), std::string::npos) << result.out;
  int halted = 0;
  int healed_by_halt = 0;
  for (const auto& e : journal_events(dir_ / "run" / "journal.jsonl")) {
    halted += e.value("kind", "") == "halt";
    healed_by_halt += e.value("kind", "") == "fault.heal" && e.value("why", "") == "halt";
  }
  EXPECT_EQ(halted, 1);
  EXPECT_EQ(healed_by_halt, 2) << "both faults in force must be healed by the halt";
}

TEST_F(NetworkRevert, Sigint) {
  auto run = start_in_faults();
  run->signal(SIGINT);
  const auto result = run->wait(60s);
  EXPECT_EQ(result.exit_code, 3) << result.err;
}

TEST_F(NetworkRevert, Sigterm) {
  auto run = start_in_faults();
  run->signal(SIGTERM);
  const auto result = run->wait(60s);
  EXPECT_EQ(result.exit_code, 3) << result.err;
}

TEST_F(NetworkRevert, SigkillOfTheRunner) {
  auto run = start_in_faults();
  run->signal(SIGKILL);
  const auto result = run->wait(20s);
  EXPECT_EQ(result.signal, SIGKILL);
}

}  // namespace
}  // namespace faultline::testing
