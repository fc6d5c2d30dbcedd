#include "chaos/process/cleanup_stack.hpp"

#include <exception>
#include <utility>

namespace faultline::process {

CleanupStack::~CleanupStack() { run_all(); }

CleanupStack::Handle CleanupStack::push(std::string name, Reverter reverter) {
  entries_.push_back(Entry{std::move(name), std::move(reverter), true});
  return entries_.size() - 1;
}

std::string CleanupStack::run_entry(Entry& entry) {
  entry.pending = false;
  std::string error;
  try {
    error = entry.reverter ? entry.reverter() : std::string();
  } catch (const std::exception& e) {
    error = std::string("threw: ") + e.what();
  } catch (...) {
    error = "threw a non-standard exception";
  }
  entry.reverter = nullptr;  // release what it captured
  return error.empty() ? error : entry.name + ": " + error;
}

std::string CleanupStack::run_one(Handle handle) {
  if (handle >= entries_.size()) return "unknown cleanup handle " + std::to_string(handle);
  Entry& entry = entries_[handle];
  if (!entry.pending) return entry.name + ": already run or discarded";
  return run_entry(entry);
}

bool CleanupStack::discard(Handle handle) {
  if (handle >= entries_.size() || !entries_[handle].pending) return false;
  entries_[handle].pending = false;
  entries_[handle].reverter = nullptr;
  return true;
}

std::vector<std::string> CleanupStack::run_all() {
  std::vector<std::string> errors;
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (!it->pending) continue;
    if (auto error = run_entry(*it); !error.empty()) errors.push_back(std::move(error));
  }
  return errors;
}

std::size_t CleanupStack::pending() const {
  std::size_t n = 0;
  for (const auto& entry : entries_) n += entry.pending ? 1 : 0;
  return n;
}

}  // namespace faultline::process
