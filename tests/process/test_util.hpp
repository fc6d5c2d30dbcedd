// Helpers shared by the process tests: temporary folders, file reads and
// condition waits with deadlines (never bare sleeps).
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "chaos/process/proc_state.hpp"
#include "chaos/process/process_control.hpp"

namespace faultline::process::test {

inline Clock::time_point in_ms(int ms) { return Clock::now() + std::chrono::milliseconds(ms); }

// Generous: the machine may be busy running other suites.
inline Clock::time_point soon() { return in_ms(10'000); }

template <class Pred>
bool eventually(Pred pred, Clock::time_point deadline = soon()) {
  for (int step = 0;; ++step) {
    if (pred()) return true;
    if (Clock::now() >= deadline) return false;
    poll_pause(step, deadline);
  }
}

inline std::string make_temp_dir() {
  std::string pattern = ::testing::TempDir() + "faultline-process-XXXXXX";
  const char* dir = ::mkdtemp(pattern.data());
  return dir ? std::string(dir) : std::string();
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline MemberSpec sleeper(const std::string& id, const std::string& seconds = "60") {
  return MemberSpec{id, {"/bin/sleep", seconds}, {}, {}, {}};
}

inline MemberSpec shell(const std::string& id, const std::string& script,
                        const std::string& log_file = {}) {
  return MemberSpec{id, {"/bin/sh", "-c", script}, log_file, {}, {}};
}

// Reads an integer written by a child process on `fd`, waiting at most until
// `deadline`.
inline std::optional<int> read_int(int fd, Clock::time_point deadline) {
  std::string text;
  for (int step = 0; step < 10'000; ++step) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char c = 0;
    const ssize_t n = ::read(fd, &c, 1);
    if (n <= 0 || c == '\n') break;
    text.push_back(c);
  }
  if (text.empty()) return std::nullopt;
  return std::stoi(text);
}

inline void write_int(int fd, int value) {
  const std::string text = std::to_string(value) + "\n";
  [[maybe_unused]] const ssize_t n = ::write(fd, text.data(), text.size());
}

}  // namespace faultline::process::test
