#include "cluster/mcp/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace faultline::mcp {
namespace {

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

ChildProcess::~ChildProcess() { stop(std::chrono::milliseconds(0)); }

bool ChildProcess::start(const ChildSpec& spec, std::string& error) {
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls are allowed in a multithreaded parent.
  std::vector<std::string> argv_text{spec.program};
  argv_text.insert(argv_text.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::map<std::string, std::string> env_map;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env_map[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : spec.env) env_map[k] = v;
  std::vector<std::string> env_text;
  for (const auto& [k, v] : env_map) env_text.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);

  int in_pipe[2];
  int out_pipe[2];
  int exec_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(exec_pipe, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return false;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], exec_pipe[0], exec_pipe[1]}) ::close(fd);
    return false;
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(exec_pipe[1], 3);
    fcntl(3, F_SETFD, FD_CLOEXEC);
    syscall(SYS_close_range, 4U, ~0U, 0U);
    execvpe(argv[0], argv.data(), envp.data());
    const int code = errno;
    ssize_t ignored = write(3, &code, sizeof code);
    (void)ignored;
    _exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(exec_pipe[1]);
  int code = 0;
  ssize_t n;
  do {
    n = read(exec_pipe[0], &code, sizeof code);
  } while (n < 0 && errno == EINTR);
  ::close(exec_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof code)) {
    int status = 0;
    waitpid(pid, &status, 0);
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    error = "cannot run " + spec.program + ": " + std::strerror(code);
    return false;
  }
  pid_ = pid;
  in_fd_ = in_pipe[1];
  out_fd_ = out_pipe[0];
  exit_.clear();
  return true;
}

bool ChildProcess::write_all(const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(in_fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<std::string> ChildProcess::try_reap(bool block) {
  if (pid_ < 0) return exit_;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r == pid_) {
    exit_ = describe_status(status);
    pid_ = -1;
    return exit_;
  }
  if (r < 0 && errno == ECHILD) {
    pid_ = -1;
    return exit_;
  }
  return std::nullopt;
}

void ChildProcess::stop(std::chrono::milliseconds grace) {
  close_fd(in_fd_);
  if (pid_ > 0) {
    // MCP's stdio shutdown: close the input, wait, SIGTERM, then SIGKILL.
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (!try_reap(false) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      const auto term_deadline = std::chrono::steady_clock::now() + grace;
      while (!try_reap(false) && std::chrono::steady_clock::now() < term_deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    if (pid_ > 0) kill_and_reap();
  }
  close_fd(out_fd_);
}

std::string ChildProcess::kill_and_reap() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    try_reap(true);
  }
  return exit_;
}

}  // namespace faultline::mcp
