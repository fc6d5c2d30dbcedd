// run_sim_command: exit codes, summary, failure reports with replay files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster/sim/sim_cli.hpp"

namespace faultline::sim {
namespace {

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("faultline-sim-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(SimCli, CleanSeedsExitZeroWithSummary) {
  SimCommandOptions o;
  o.seeds = 3;
  o.seconds = 3;
  std::ostringstream out;
  EXPECT_EQ(run_sim_command(o, out), 0) << out.str();
  EXPECT_NE(out.str().find("summary: 3 run(s), 0 with violations, 9.0 simulated s"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("speed-up"), std::string::npos);
}

TEST(SimCli, BadInputExitsTwo) {
  std::ostringstream out;
  SimCommandOptions bug;
  bug.planted_bug = "sometimes";
  EXPECT_EQ(run_sim_command(bug, out), 2);
  SimCommandOptions members;
  members.members = 0;
  EXPECT_EQ(run_sim_command(members, out), 2);
  SimCommandOptions missing;
  missing.schedule_file = "/nonexistent/faultline.schedule";
  EXPECT_EQ(run_sim_command(missing, out), 2);

  const auto dir = temp_dir("bad");
  std::ofstream(dir / "bad.schedule") << "at 10 crash 9\n";
  SimCommandOptions parse;
  parse.schedule_file = (dir / "bad.schedule").string();
  std::ostringstream why;
  EXPECT_EQ(run_sim_command(parse, why), 2);
  EXPECT_NE(why.str().find("line 1"), std::string::npos) << why.str();
}

TEST(SimCli, PlantedBugIsReportedWithAReplayableSchedule) {
  const auto dir = temp_dir("bug");
  SimCommandOptions o;
  o.seeds = 40;
  o.seconds = 6;
  o.planted_bug = "vote_without_log_check";
  o.out_dir = dir.string();
  std::ostringstream out;
  ASSERT_EQ(run_sim_command(o, out), 1) << out.str();
  const std::string text = out.str();
  const auto at = text.find("replay: faultline sim --schedule ");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_NE(text.find("or:     faultline sim --seed "), std::string::npos);

  // The written file replays to a violation on its own.
  const std::string rest = text.substr(at + 33);
  SimCommandOptions replay;
  replay.schedule_file = rest.substr(0, rest.find('\n'));
  std::ostringstream again;
  EXPECT_EQ(run_sim_command(replay, again), 1) << again.str();
  EXPECT_NE(again.str().find("violation"), std::string::npos);
}

}  // namespace
}  // namespace faultline::sim
