// The live console: the line fits the terminal and says what it should, a
// pipe never gets a carriage return or an escape code, and a terminal gets
// the line redrawn in place.
#include "drills/runner/console.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace faultline::runner {
namespace {

using Json = journal::Json;

LiveView busy_view() {
  LiveView v;
  v.prefix = "trial 02/05";
  v.phase = "observe";
  v.elapsed_s = 3.25;
  v.remaining_s = 1.44;
  v.ops_per_s = 173;
  v.ok_percent = 97.5;
  v.faults = {"kill c2"};
  v.leader_known = true;
  v.leader = "c3";
  return v;
}

bool has_colour(const std::string& text) { return std::regex_search(text, std::regex("\x1b\\[[0-9;]*m")); }

TEST(LiveLine, SaysPhaseTimesRateFaultsAndLeader) {
  const std::string line = render_live_line(busy_view(), 200, false);
  EXPECT_EQ(line, "trial 02/05  observe 3.2s (1.4s left) | 173 ops/s 97.5% ok | kill c2 | leader c3");
  EXPECT_FALSE(has_colour(line));
}

TEST(LiveLine, BeforeTheWorkloadAndWithoutALeader) {
  LiveView v;
  v.phase = "warmup";
  v.elapsed_s = 0.5;
  v.leader_known = true;
  EXPECT_EQ(render_live_line(v, 80, false), "warmup 0.5s | no fault | leader none");
}

TEST(LiveLine, NeverWiderThanTheTerminalAndColouredOnlyWhenItFits) {
  for (std::size_t width : {10u, 40u, 79u}) {
    const std::string line = render_live_line(busy_view(), width, true);
    EXPECT_LE(line.size(), width - 1) << line;
    EXPECT_FALSE(has_colour(line)) << "a cut colour sequence would leave the terminal coloured";
  }
  const std::string wide = render_live_line(busy_view(), 200, true);
  EXPECT_TRUE(has_colour(wide));
  EXPECT_NE(wide.find("\x1b[33mkill c2\x1b[0m"), std::string::npos) << wide;
}

TEST(EventLine, PhasesAndFaultsGetLinesOthersDoNot) {
  EXPECT_EQ(render_event_line("phase", Json{{"t_ns", 1'500'000'000}, {"phase", "warmup"}}, false),
            "[1.50 s] warmup: waiting for a leader");
  EXPECT_EQ(render_event_line("phase", Json{{"t_ns", 1}, {"phase", "observe"}}, false), "");
  const Json inject{{"t_ns", 3'000'000'000}, {"fault", 0}, {"fault_kind", "kill"}, {"targets", {"c2"}},
                    {"selector", "leader"}, {"confirmed", "pid 7 reaped"}};
  EXPECT_EQ(render_event_line("fault.inject", inject, false),
            "[3.00 s] fault 0 kill c2 (leader) injected: pid 7 reaped");
  EXPECT_TRUE(has_colour(render_event_line("fault.inject", inject, true)));
  EXPECT_EQ(render_event_line("member.exit", Json{{"t_ns", 1}, {"member", "c1"}, {"expected", true}}, false), "");
  EXPECT_NE(render_event_line("member.exit", Json{{"t_ns", 1}, {"member", "c1"}, {"expected", false}, {"signal", 9}},
                              false)
                .find("c1 exited on its own (signal 9)"),
            std::string::npos);
}

// Drives a console through a short run; `live` picks the mode.
std::string console_output(ConsoleOptions options) {
  std::ostringstream out, err;
  {
    Console console(options, out, err);
    console.begin_run("");
    console.on_event("phase", Json{{"t_ns", 0}, {"phase", "setup"}});
    console.set_sources({[] { return WorkloadProgress{10, 9}; }, [] { return std::optional<std::string>("c1"); }});
    console.workload_started(std::chrono::milliseconds(1000));
    console.on_event("phase", Json{{"t_ns", 1}, {"phase", "baseline"}});
    console.set_faults({"kill c1"});
    console.line("a line for people");
    console.clear_sources();
    console.end_run();
  }
  return out.str();
}

TEST(Console, PlainModeNeverWritesCarriageReturnsOrEscapes) {
  ConsoleOptions options;
  options.mode = ConsoleOptions::Mode::plain;
  const std::string text = console_output(options);
  EXPECT_EQ(text.find('\r'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_NE(text.find("[0.00 s] setup: starting the members\n"), std::string::npos) << text;
  EXPECT_NE(text.find("baseline: the workload starts\n"), std::string::npos) << text;
  EXPECT_NE(text.find("a line for people\n"), std::string::npos) << text;
}

TEST(Console, LiveModeRedrawsOneLineInPlace) {
  ConsoleOptions options;
  options.mode = ConsoleOptions::Mode::live;
  options.width = 120;
  const std::string text = console_output(options);
  EXPECT_NE(text.find("\r\x1b[K"), std::string::npos) << text;
  EXPECT_NE(text.find("kill c1 | leader c1"), std::string::npos) << text;
  EXPECT_FALSE(has_colour(text)) << "colours were not asked for";
  // The line is erased before each line for people, and at the end.
  EXPECT_NE(text.find("\r\x1b[Ka line for people\n"), std::string::npos) << text;
  EXPECT_EQ(text.substr(text.size() - 4), "\r\x1b[K");
}

TEST(Console, QuietAndJsonModesSayNothingWhileTheRunGoes) {
  for (auto mode : {ConsoleOptions::Mode::quiet, ConsoleOptions::Mode::json}) {
    ConsoleOptions options;
    options.mode = mode;
    EXPECT_EQ(console_output(options), "");
  }
}

}  // namespace
}  // namespace faultline::runner
