#include "drills/runner/readback.hpp"

namespace faultline::runner {

using Json = journal::Json;

namespace {
constexpr auto kDeadline = std::chrono::seconds(20);
}  // namespace

std::size_t read_back(targets::Target& target, const std::vector<std::string>& keys,
                      journal::JournalWriter& journal) {
  std::string error;
  const auto values = target.read_back(keys, std::chrono::steady_clock::now() + kDeadline, error);
  for (const auto& v : values) {
    journal.write("readback", Json{{"key", v.key}, {"found", v.found}, {"value", v.value}, {"member", v.member}});
  }
  if (!error.empty()) journal.write("note", Json{{"text", "readback incomplete: " + error}});
  return keys.size() - values.size();
}

}  // namespace faultline::runner
