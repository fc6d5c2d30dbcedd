// Target selectors over member views: what each picks, that a seed replays
// its choices, and the messages of plan validation.
#include <gtest/gtest.h>

#include "chaos/faults/selector.hpp"

namespace faultline::faults {
namespace {

std::vector<MemberView> five(const std::string& leader) {
  std::vector<MemberView> v;
  for (int i = 1; i <= 5; ++i) {
    const std::string id = "c" + std::to_string(i);
    v.push_back({id, true, true, id == leader ? "leader" : "follower", 4});
  }
  v.push_back({"w1", false, true, "", 0});
  v.push_back({"w2", false, true, "", 0});
  return v;
}

Selection pick(const std::string& selector, const std::vector<MemberView>& views, std::uint64_t seed = 1,
               std::optional<std::string> busiest = std::nullopt) {
  std::mt19937_64 rng(seed);
  return select_members(selector, views, rng, busiest);
}

TEST(Selector, LeaderIsTheSelfDeclaredLeaderOfTheHighestTerm) {
  auto views = five("c3");
  views[0].role = "leader";  // a deposed leader that has not heard of term 4
  views[0].term = 3;
  const Selection s = pick("leader", views);
  ASSERT_EQ(s.ids, std::vector<std::string>{"c3"});
  EXPECT_EQ(s.term, 4u);
}

TEST(Selector, NoLeaderMeansNothingYet) {
  auto views = five("none");
  EXPECT_TRUE(pick("leader", views).ids.empty());
}

TEST(Selector, FollowersAndOneSeededFollower) {
  const auto views = five("c2");
  EXPECT_EQ(pick("followers", views).ids, (std::vector<std::string>{"c1", "c3", "c4", "c5"}));
  const Selection one = pick("follower", views, 9);
  ASSERT_EQ(one.ids.size(), 1u);
  EXPECT_NE(one.ids.front(), "c2");
  EXPECT_EQ(pick("follower", views, 9).ids, one.ids);  // the seed replays the choice
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 64; ++seed) seen.insert(pick("follower", views, seed).ids.front());
  EXPECT_EQ(seen.size(), 4u);  // every follower is chosen by some seed
}

TEST(Selector, MinorityMajorityAndAllCountTheVoters) {
  const auto views = five("c1");
  EXPECT_EQ(pick("minority", views).ids.size(), 2u);
  EXPECT_EQ(pick("majority", views).ids.size(), 3u);
  EXPECT_EQ(pick("all", views).ids, (std::vector<std::string>{"c1", "c2", "c3", "c4", "c5"}));
  const auto minority = pick("minority", views, 5).ids;
  EXPECT_TRUE(std::is_sorted(minority.begin(), minority.end()));
  EXPECT_EQ(pick("minority", views, 5).ids, minority);
}

TEST(Selector, IdsNeedTheMemberUp) {
  auto views = five("c1");
  EXPECT_EQ(pick("c4", views).ids, std::vector<std::string>{"c4"});
  views[3].up = false;
  EXPECT_TRUE(pick("c4", views).ids.empty());
}

TEST(Selector, WorkerIsTheBusiestElseTheFirst) {
  const auto views = five("c1");
  EXPECT_EQ(pick("worker", views, 1, "w2").ids, std::vector<std::string>{"w2"});
  EXPECT_EQ(pick("worker", views).ids, std::vector<std::string>{"w1"});
  EXPECT_EQ(pick("workers", views).ids, (std::vector<std::string>{"w1", "w2"}));
}

TEST(Selector, ValidationNamesWhatIsAllowed) {
  const std::vector<std::string> voters{"c1", "c2", "c3"};
  EXPECT_FALSE(check_selector("majority", voters, {}));
  EXPECT_FALSE(check_selector("c3", voters, {}));
  EXPECT_EQ(*check_selector("c4", voters, {}), "target \"c4\" is not a member of the topology (members: c1, c2, c3)");
  EXPECT_EQ(*check_selector("workers", voters, {}),
            "target \"workers\" needs worker nodes: set topology.workers (1..16)");
  EXPECT_EQ(*check_selector("boss", voters, {"w1"}),
            "unknown target \"boss\"; allowed: leader, follower, followers, minority, majority, all, c1..c3, "
            "worker, workers, w1..w1");
}

}  // namespace
}  // namespace faultline::faults

namespace faultline::faults {
namespace {

TEST(Selector, MembersNamedByIdOnlyAreNeitherWorkersNorVoters) {
  std::vector<MemberView> views{{"r1", true, true, "leader", 0},
                                {"r2", true, true, "follower", 0},
                                {"s1", false, true, "", 0, true},
                                {"s2", false, false, "", 0, true}};
  std::mt19937_64 rng(1);
  EXPECT_EQ(select_members("s1", views, rng, std::nullopt).ids, std::vector<std::string>{"s1"});
  EXPECT_TRUE(select_members("s2", views, rng, std::nullopt).ids.empty());  // not running
  EXPECT_TRUE(select_members("workers", views, rng, std::nullopt).ids.empty());
  EXPECT_TRUE(select_members("worker", views, rng, std::nullopt).ids.empty());
  EXPECT_EQ(select_members("all", views, rng, std::nullopt).ids, (std::vector<std::string>{"r1", "r2"}));
  EXPECT_FALSE(check_selector("s2", {"r1", "r2"}, {}, {"s1", "s2"}));
}

}  // namespace
}  // namespace faultline::faults
