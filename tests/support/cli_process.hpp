// Runs the real `faultline` executable from tests, as a child process with
// its output captured to files, and inspects processes through /proc.
//
// Everything waits on a condition with a deadline; nothing sleeps blindly.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace faultline::testing {

struct CliResult {
  int exit_code = -1;  // -1: did not exit before the deadline (it was killed)
  int signal = 0;      // set when the child died of a signal
  std::string out;
  std::string err;
};

// A `faultline` child process. The destructor SIGKILLs it if it still runs.
class CliProcess {
 public:
  // `cwd`, when given, is the child's working directory (relative paths in
  // `args` resolve there); otherwise it inherits the test's.
  CliProcess(const std::vector<std::string>& args, const std::filesystem::path& scratch,
             const std::filesystem::path& cwd = {});
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  int pid() const { return pid_; }
  // Where its standard output goes, to be read while it runs.
  const std::filesystem::path& out_file() const { return out_file_; }
  const std::filesystem::path& err_file() const { return err_file_; }
  void signal(int signal_number) const;
  // Waits for the exit; on timeout the child is SIGKILLed and exit_code is -1.
  CliResult wait(std::chrono::milliseconds timeout);

 private:
  int pid_ = -1;
  bool reaped_ = false;
  std::filesystem::path out_file_;
  std::filesystem::path err_file_;
};

// Runs `faultline ARGS` to completion (bounded by `timeout`).
CliResult run_cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                  const std::filesystem::path& cwd = {});

// Polls `condition` every 10 ms until it holds or `timeout` passes.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// True while `pid` names a live process (a zombie is not alive). When
// `expected_cmdline_part` is given, a pid reused by another program is not it.
bool process_alive(int pid, const std::string& expected_cmdline_part = "");

// A fresh empty folder under the system temp dir, unique to this test.
std::filesystem::path scratch_dir(const std::string& name);

std::string read_file(const std::filesystem::path& path);

// Every parseable line of a run's journal.jsonl, in file order (a torn last
// line is skipped).
std::vector<nlohmann::json> journal_events(const std::filesystem::path& file);
// The `check` event of `objective` among them, or null when there is none.
nlohmann::json check_event(const std::vector<nlohmann::json>& events, const std::string& objective);

}  // namespace faultline::testing
