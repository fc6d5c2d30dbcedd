#include "drills/journal/journal.hpp"

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
    : path_(path), start_mono_ns_(start_mono_ns), file_(std::fopen(path.c_str(), "w")) {
  if (file_ == nullptr) {
    throw std::runtime_error("cannot create journal " + path.string());
  }
}

JournalWriter::~JournalWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

std::int64_t JournalWriter::write(const std::string& kind, Json fields) {
  std::lock_guard lock(mu_);
  const std::int64_t t = now_ns();
  Json line = Json::object();
  line["t_ns"] = t;
  line["kind"] = kind;
  for (auto& [k, v] : fields.items()) line[k] = std::move(v);
  const std::string text = line.dump() + "\n";
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fflush(file_);
  return t;
}

void JournalWriter::write_at(std::int64_t t_ns, const std::string& kind, Json fields) {
  Json line = Json::object();
  line["t_ns"] = t_ns;
  line["kind"] = kind;
  for (auto& [k, v] : fields.items()) line[k] = std::move(v);
  const std::string text = line.dump() + "\n";
  std::lock_guard lock(mu_);
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fflush(file_);
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
