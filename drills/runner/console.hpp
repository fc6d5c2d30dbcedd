// The run's voice on the terminal while it runs (the final summaries are
// rendered by reports/ and printed through here).
//
// Modes (ConsoleOptions, chosen by the composition root from the command
// line and isatty(stdout)):
// - live (a terminal): one line redrawn in place about four times a second
//   (carriage return, erase line): the phase, elapsed and remaining time,
//   operations per second and their success rate over the last second, the
//   faults in force and the member that leads. Phase changes and faults
//   print as lines above it.
// - plain (not a terminal, e.g. CI): the same phase and fault lines, never a
//   carriage return or an escape code.
// - quiet: nothing while the run goes; the caller prints only the verdict.
// - json: nothing while the run goes; the caller prints one JSON object.
// Errors go to stderr in every mode, the live line erased first.
//
// Thread-safety: every method may be called from any thread (one mutex
// guards the state and both streams). In live mode a ticker thread calls
// the Sources' functions, which must be thread-safe; clear_sources() returns
// only once the ticker can no longer call them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "drills/journal/journal.hpp"
#include "drills/runner/runner.hpp"
#include "drills/runner/workload.hpp"

namespace faultline::runner {

// What the live line shows at one instant.
struct LiveView {
  std::string prefix;                  // "trial 03/20" in a suite, else empty
  std::string phase;
  double elapsed_s = 0;                // since the run began
  std::optional<double> remaining_s;   // of the workload, once it started
  std::optional<double> ops_per_s;     // over the last second
  std::optional<double> ok_percent;    // of the operations completed in the last second
  std::vector<std::string> faults;     // in force: "kill c1"
  std::optional<std::string> leader;   // as the observer last saw it
  bool leader_known = false;           // false before the observer runs
};

// The live line: at most `width - 1` columns (never wraps), colours only
// when `color` and the whole line fits.
std::string render_live_line(const LiveView& view, std::size_t width, bool color);

// The line for one journal event of Console::observed_kinds(), stamped with
// the event's run time (`t_ns`); "" for events that get no line.
std::string render_event_line(const std::string& kind, const journal::Json& event, bool color);

class Console {
 public:
  struct Sources {
    std::function<WorkloadProgress()> progress;
    std::function<std::optional<std::string>()> leader;
  };

  Console(ConsoleOptions options, std::ostream& out, std::ostream& err);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  const ConsoleOptions& options() const { return options_; }
  bool chatty() const;  // plain or live: lines while the run goes

  // The journal event kinds the console shows (JournalWriter::set_observer).
  static std::set<std::string> observed_kinds();
  void on_event(const std::string& kind, const journal::Json& event);

  // A run begins: the live line (if any) starts, timed from now.
  void begin_run(const std::string& prefix);
  // Ends the live line of the run and erases it.
  void end_run();
  void set_sources(Sources sources);
  void clear_sources();
  void workload_started(std::chrono::milliseconds duration);
  void set_faults(const std::vector<std::string>& faults);

  // A line for people, in plain and live modes.
  void line(const std::string& text);
  // Text printed as is in every mode (the verdict, the JSON object).
  void print(const std::string& text);
  // "error: TEXT" / "note: TEXT" on stderr, in every mode.
  void error(const std::string& text);
  void note(const std::string& text);

 private:
  void tick();
  void draw_locked();
  void erase_locked();
  LiveView view_locked();

  const ConsoleOptions options_;
  std::ostream& out_;
  std::ostream& err_;

  std::mutex mu_;
  std::condition_variable wake_;
  // State below is guarded by mu_.
  bool running_ = false;         // a run is between begin_run and end_run
  bool line_shown_ = false;      // the live line is on the screen
  bool stopping_ = false;
  std::string prefix_;
  std::string phase_ = "setup";
  std::chrono::steady_clock::time_point begun_;
  std::optional<std::chrono::steady_clock::time_point> workload_end_;
  Sources sources_;
  std::vector<std::string> faults_;
  struct Sample {
    std::chrono::steady_clock::time_point at;
    WorkloadProgress progress;
  };
  std::vector<Sample> samples_;  // the last ~second of progress
  std::thread ticker_;           // live mode only
};

}  // namespace faultline::runner
