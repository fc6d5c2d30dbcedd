#include "tests/support/cli_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace faultline::testing {

namespace {
int g_counter = 0;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("faultline-test-" + name + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(g_counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

bool process_alive(int pid, const std::string& expected_cmdline_part) {
  if (pid <= 0) return false;
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return false;
  const auto close = stat.rfind(')');
  if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') {
    return false;
  }
  if (expected_cmdline_part.empty()) return true;
  std::string cmdline = read_file("/proc/" + std::to_string(pid) + "/cmdline");
  for (auto& c : cmdline) {
    if (c == '\0') c = ' ';
  }
  return cmdline.find(expected_cmdline_part) != std::string::npos;
}

CliProcess::CliProcess(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                       const std::filesystem::path& cwd)
    : out_file_(scratch / ("cli-" + std::to_string(g_counter) + ".out")),
      err_file_(scratch / ("cli-" + std::to_string(g_counter) + ".err")) {
  ++g_counter;
  std::vector<std::string> argv_strings{FAULTLINE_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&actions);
}

CliProcess::~CliProcess() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void CliProcess::signal(int signal_number) const {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal_number);
}

CliResult CliProcess::wait(std::chrono::milliseconds timeout) {
  CliResult result;
  if (pid_ <= 0) {
    result.err = "could not start " FAULTLINE_BINARY;
    return result;
  }
  int status = 0;
  const bool exited = wait_until(
      [&] {
        if (reaped_) return true;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
        return reaped_;
      },
      timeout);
  if (!exited) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  result.out = read_file(out_file_);
  result.err = read_file(err_file_);
  return result;
}

CliResult run_cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                  const std::filesystem::path& cwd) {
  const auto scratch = scratch_dir("cli");
  CliProcess process(args, scratch, cwd);
  auto result = process.wait(timeout);
  std::filesystem::remove_all(scratch);
  return result;
}

std::vector<nlohmann::json> journal_events(const std::filesystem::path& file) {
  std::vector<nlohmann::json> events;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_discarded()) events.push_back(std::move(event));
  }
  return events;
}

nlohmann::json check_event(const std::vector<nlohmann::json>& events, const std::string& objective) {
  for (const auto& e : events) {
    if (e.value("kind", "") == "check" && e.value("objective", "") == objective) return e;
  }
  return nullptr;
}

}  // namespace faultline::testing
