#include "drills/journal/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>

namespace faultline::journal {

std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

JournalWriter::JournalWriter(const std::filesystem::path& path, std::int64_t start_mono_ns)
    : path_(path), start_mono_ns_(start_mono_ns) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw std::runtime_error("cannot create journal " + path.string() + ": " + std::strerror(errno));
  }
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::set_observer(std::set<std::string> kinds, Observer observer) {
  observed_kinds_ = std::move(kinds);
  observer_ = std::move(observer);
}

std::optional<std::string> JournalWriter::failure() const {
  std::lock_guard lock(mu_);
  if (failure_.empty()) return std::nullopt;
  return failure_;
}

bool JournalWriter::append_locked(const std::string& text) {
  if (failed_.load()) return false;
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // write(2) returns 0 only for a zero count; treat it as "no space".
    const int error = n < 0 ? errno : ENOSPC;
    // Cut the torn line so the journal ends at its last whole event.
    [[maybe_unused]] const int cut = ::ftruncate(fd_, bytes_);
    failure_ = "the journal could not be written: " + std::string(std::strerror(error)) + " (" +
               path_.string() + ", line " + std::to_string(lines_ + 1) + ")";
    failed_.store(true);
    return false;
  }
  bytes_ += static_cast<std::int64_t>(text.size());
  ++lines_;
  return true;
}

namespace {
Json event_line(std::int64_t t_ns, const std::string& kind, Json& fields) {
  Json line = Json::object();
  line["t_ns"] = t_ns;
  line["kind"] = kind;
  for (auto& [k, v] : fields.items()) line[k] = std::move(v);
  return line;
}
}  // namespace

std::int64_t JournalWriter::write(const std::string& kind, Json fields) {
  Json line;
  bool written = false;
  std::int64_t t = 0;
  {
    // The timestamp is read under the lock, so the lines that write() adds
    // are in time order in the file.
    std::lock_guard lock(mu_);
    t = now_ns();
    line = event_line(t, kind, fields);
    written = append_locked(line.dump() + "\n");
  }
  if (written && observer_ && observed_kinds_.count(kind) != 0) observer_(kind, line);
  return t;
}

void JournalWriter::write_at(std::int64_t t_ns, const std::string& kind, Json fields) {
  const Json line = event_line(t_ns, kind, fields);
  const std::string text = line.dump() + "\n";
  bool written = false;
  {
    std::lock_guard lock(mu_);
    written = append_locked(text);
  }
  if (written && observer_ && observed_kinds_.count(kind) != 0) observer_(kind, line);
}

ReadResult read_journal(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open journal " + path.string());
  ReadResult result;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    Json event = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded() || !event.is_object() || !event.contains("t_ns") ||
        !event.contains("kind")) {
      result.skipped.push_back("line " + std::to_string(number) + ": not a journal event");
      continue;
    }
    result.events.push_back(std::move(event));
  }
  return result;
}

}  // namespace faultline::journal
