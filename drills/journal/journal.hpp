// The run journal: one JSON object a line, appended and flushed as the run goes,
// so that a run killed half-way still leaves a readable record.
//
// Every event has `t_ns` (nanoseconds since the run started, from the
// monotonic clock) and `kind`. The event kinds and their fields are the
// contract between the runner, the checkers and the reports; they are listed
// in docs/journal.md.
//
// Thread-safety: JournalWriter::write may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::journal {

using Json = nlohmann::json;

// Nanoseconds of the system-wide monotonic clock (CLOCK_MONOTONIC). Every
// process on the host reads the same clock, which lets the runner place a
// member's own timestamps (e.g. when it became leader) on the run's timeline.
std::int64_t monotonic_ns();

class JournalWriter {
 public:
  // Opens (truncates) `path`. Throws std::runtime_error naming the path if
  // it cannot be created. `start_mono_ns` is the run's t = 0.
  JournalWriter(const std::filesystem::path& path, std::int64_t start_mono_ns);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Appends {"t_ns": now, "kind": kind, ...fields} and flushes it to the OS.
  // Returns the t_ns written.
  std::int64_t write(const std::string& kind, Json fields = Json::object());
  // Same with an explicit timestamp (for events whose instant was measured
  // earlier, e.g. an operation's completion).
  void write_at(std::int64_t t_ns, const std::string& kind, Json fields);

  std::int64_t now_ns() const { return monotonic_ns() - start_mono_ns_; }
  std::int64_t to_run_ns(std::int64_t mono_ns) const { return mono_ns - start_mono_ns_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::int64_t start_mono_ns_;
  std::mutex mu_;
  std::FILE* file_;  // guarded by mu_
};

struct ReadResult {
  std::vector<Json> events;
  // Lines that could not be parsed (a torn last line of a killed run), as
  // "line N: reason". Readers skip them and report them.
  std::vector<std::string> skipped;
};

// Reads a journal. Throws std::runtime_error naming the path if it cannot be
// opened. Events are returned in file order.
ReadResult read_journal(const std::filesystem::path& path);

}  // namespace faultline::journal
