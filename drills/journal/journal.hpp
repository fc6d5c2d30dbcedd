// The run journal: one JSON object a line, appended and flushed as the run goes,
// so that a run killed half-way still leaves a readable record.
//
// Every event has `t_ns` (nanoseconds since the run started, from the
// monotonic clock) and `kind`. The event kinds and their fields are the
// contract between the runner, the checkers and the reports; they are listed
// in docs/journal.md.
//
// A write that fails (a full disk, an I/O error) is not retried: the file is
// cut back to the last whole line, every later write is dropped, and
// failure() says why, so that the runner stops the run at once and what was
// written stays readable.
//
// Thread-safety: write, write_at, failed and failure may be called from any
// thread; set_observer only before other threads write.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
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

  // Appends {"t_ns": now, "kind": kind, ...fields} with one write(2), so
  // the line is in the OS before this returns. Returns the t_ns written.
  // After a failure nothing more is written (see failed()).
  std::int64_t write(const std::string& kind, Json fields = Json::object());
  // Same with an explicit timestamp (for events whose instant was measured
  // earlier, e.g. an operation's completion).
  void write_at(std::int64_t t_ns, const std::string& kind, Json fields);

  // True once a write failed; the journal then ends at its last whole line.
  bool failed() const { return failed_.load(); }
  // "the journal could not be written: No space left on device (PATH, line
  // N)", or nullopt while every write succeeded.
  std::optional<std::string> failure() const;

  // Called with each event of one of `kinds` once it is written, on the
  // writing thread and outside the journal's lock (the live console).
  using Observer = std::function<void(const std::string& kind, const Json& event)>;
  void set_observer(std::set<std::string> kinds, Observer observer);

  std::int64_t now_ns() const { return monotonic_ns() - start_mono_ns_; }
  std::int64_t to_run_ns(std::int64_t mono_ns) const { return mono_ns - start_mono_ns_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  // Writes one line with mu_ held; false (and failure_ set) when it failed
  // now or before.
  bool append_locked(const std::string& text);

  // Constant after construction (and set_observer).
  std::filesystem::path path_;
  std::int64_t start_mono_ns_;
  std::set<std::string> observed_kinds_;
  Observer observer_;

  std::atomic<bool> failed_{false};
  mutable std::mutex mu_;
  int fd_ = -1;               // guarded by mu_
  std::int64_t bytes_ = 0;    // guarded by mu_: length of the whole lines written
  std::int64_t lines_ = 0;    // guarded by mu_
  std::string failure_;       // guarded by mu_
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
