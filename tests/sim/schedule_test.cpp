// Schedule text form: print, parse back, errors, seeded generation.
#include <gtest/gtest.h>

#include "cluster/sim/schedule.hpp"

namespace faultline::sim {
namespace {

TEST(Schedule, GeneratedSchedulePrintsAndParsesBackIdentically) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Schedule s = generate_schedule(seed, 5, 10'000);
    ASSERT_FALSE(s.actions.empty());
    ParsedSchedule p = parse_schedule(to_text(s));
    ASSERT_EQ(p.error, "");
    EXPECT_EQ(p.schedule, s) << to_text(s);
  }
}

TEST(Schedule, FileTextCarriesTheRunParameters) {
  SimConfig c;
  c.seed = 77;
  c.members = 3;
  c.duration_ms = 4000;
  c.planted_bug = raft::PlantedBug::vote_without_log_check;
  c.election_timer = raft::ElectionTimer::ticks;
  const Schedule s = generate_schedule(5, 3, 4000);
  ParsedSchedule p = parse_schedule(to_file_text(c, s));
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.config.seed, 77u);
  EXPECT_EQ(p.config.members, 3u);
  EXPECT_EQ(p.config.duration_ms, 4000);
  EXPECT_EQ(p.config.planted_bug, raft::PlantedBug::vote_without_log_check);
  EXPECT_EQ(p.config.election_timer, raft::ElectionTimer::ticks);
  EXPECT_EQ(p.schedule, s);
}

TEST(Schedule, GenerationIsAFunctionOfTheSeed) {
  EXPECT_EQ(generate_schedule(9, 5, 10'000), generate_schedule(9, 5, 10'000));
  EXPECT_NE(generate_schedule(9, 5, 10'000), generate_schedule(10, 5, 10'000));
}

TEST(Schedule, ParsesEveryActionAndSortsByTime) {
  ParsedSchedule p = parse_schedule(
      "members 5\n"
      "at 900 heal   # comment\n"
      "at 100 crash 2\nat 100 crash leader\nat 200 restart 2\nat 200 restart all\n"
      "at 300 partition 1>2 2>1\nat 300 isolate leader\nat 400 drop 150\nat 400 duplicate 10\n"
      "at 500 delay 6 9\nat 500 slow 3 20 40\nat 600 drift 4 -20000\n");
  ASSERT_EQ(p.error, "");
  ASSERT_EQ(p.schedule.actions.size(), 12u);
  EXPECT_EQ(p.schedule.actions.front().kind, ActionKind::crash);
  EXPECT_EQ(p.schedule.actions.back().kind, ActionKind::heal);
  EXPECT_EQ(p.schedule.actions[4].cut, (std::vector<Link>{{1, 2}, {2, 1}}));
  EXPECT_EQ(p.schedule.actions[10].a, -20000);
}

TEST(Schedule, ReorderPrintsAndParsesBack) {
  ParsedSchedule p = parse_schedule("at 5 reorder 300\n");
  ASSERT_EQ(p.error, "");
  ASSERT_EQ(p.schedule.actions.size(), 1u);
  EXPECT_EQ(p.schedule.actions[0].kind, ActionKind::reorder);
  EXPECT_EQ(p.schedule.actions[0].a, 300);
  EXPECT_EQ(parse_schedule(to_text(p.schedule)).schedule, p.schedule);
  EXPECT_NE(parse_schedule("at 1 reorder 1001\n").error, "");
}

TEST(Schedule, ErrorsNameTheLine) {
  EXPECT_EQ(parse_schedule("at 1 heal\nat x heal\n").error.rfind("line 2:", 0), 0u);
  EXPECT_NE(parse_schedule("members 3\nat 1 crash 4\n").error, "");
  EXPECT_NE(parse_schedule("at 1 partition 1>1\n").error, "");
  EXPECT_NE(parse_schedule("at 1 drop 1001\n").error, "");
  EXPECT_NE(parse_schedule("at 1 delay 9 6\n").error, "");
  EXPECT_NE(parse_schedule("at 1 explode\n").error, "");
  EXPECT_NE(parse_schedule("bug sometimes\n").error, "");
  EXPECT_NE(parse_schedule("timer sundial\n").error, "");
}

TEST(Schedule, SplitLinksCutsBothDirectionsBetweenSides) {
  const auto cut = split_links({1}, 3);
  EXPECT_EQ(cut, (std::vector<Link>{{1, 2}, {1, 3}, {2, 1}, {3, 1}}));
}

}  // namespace
}  // namespace faultline::sim
