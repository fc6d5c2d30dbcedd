// The observer over a fake target: a member that stops answering costs its
// own sampler a timeout each time and slows nobody else's samples.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "drills/runner/monitor.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::runner {
namespace {

// A target whose member "c1" takes 150 ms to answer (as a paused member
// times out); the others answer at once. It counts the status requests.
class SlowMemberTarget final : public targets::Target {
 public:
  SlowMemberTarget() {
    for (const std::string id : {"c1", "c2", "c3"}) {
      targets::MemberInfo m;
      m.id = id;
      members_.push_back(m);
    }
  }
  std::string kind() const override { return "fake"; }
  std::vector<std::pair<std::string, bool>> member_ids() const override { return {}; }
  bool prepare(targets::Placement&, std::string&) override { return true; }
  bool start_all(targets::Deadline, std::string&) override { return true; }
  bool restart(const std::string&, targets::Deadline, std::string&) override { return true; }
  void stop_all() override {}
  const std::vector<targets::MemberInfo>& members() const override { return members_; }
  targets::MemberStatus status(const targets::MemberInfo& member, long timeout_ms) override {
    {
      std::lock_guard lock(mu_);
      ++asked_[member.id];
    }
    if (member.id == "c1") {
      std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
      return {};
    }
    targets::MemberStatus s;
    s.up = true;
    s.role = member.id == "c2" ? "leader" : "follower";
    s.term = 2;
    return s;
  }
  std::unique_ptr<targets::KvClient> make_client(std::size_t, const std::string&) override { return nullptr; }
  std::vector<targets::ReadBackValue> read_back(const std::vector<std::string>&, targets::Deadline,
                                                std::string&) override {
    return {};
  }
  int asked(const std::string& id) {
    std::lock_guard lock(mu_);
    return asked_[id];
  }

 private:
  std::vector<targets::MemberInfo> members_;
  std::mutex mu_;
  std::map<std::string, int> asked_;
};

TEST(Monitor, AFrozenMemberDoesNotSlowTheOthersSamples) {
  const auto dir = testing::scratch_dir("monitor");
  journal::JournalWriter journal(dir / "journal.jsonl", journal::monotonic_ns());
  SlowMemberTarget target;
  Monitor monitor(target, journal, std::chrono::milliseconds(20));
  monitor.start();
  // Poll the condition the test is about: in one second, a sampler that
  // waited on c1 each round would ask c2 at most 1000 / 170 ≈ 6 times.
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(testing::wait_until([&] { return target.asked("c2") >= 30; }, std::chrono::seconds(10)));
  const auto took = std::chrono::steady_clock::now() - start;
  monitor.stop();
  EXPECT_LT(took, std::chrono::milliseconds(1500)) << "c2 was sampled 30 times only after "
                                                   << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                                   << " ms";
  EXPECT_LE(target.asked("c1"), 15);  // c1 was asked at its own, slower pace
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::runner
