// CleanupStack: a list of "reverters" (kill a member, heal a partition, delete
// an nftables rule) run in reverse order of registration, so that whatever the
// runner set up is undone last-in first-out even when it stops early.
//
// Each reverter runs at most once: run_all() (also called by the destructor)
// skips those already run through run_one() or dropped with discard(). An
// exception thrown by a reverter is caught and reported like an error, so one
// failing reverter never prevents the others from running.
//
// Not thread-safe: use from the runner's thread. A reverter must not touch the
// stack it belongs to.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace faultline::process {

class CleanupStack {
 public:
  // Returns an error message, empty on success.
  using Reverter = std::function<std::string()>;
  using Handle = std::size_t;

  CleanupStack() = default;
  ~CleanupStack();
  CleanupStack(const CleanupStack&) = delete;
  CleanupStack& operator=(const CleanupStack&) = delete;

  // `name` appears in error messages ("heal partition c1|c2: ...").
  Handle push(std::string name, Reverter reverter);

  // Runs one reverter now (a fault healed on schedule). Returns its error, or
  // a message if the handle is unknown or was already run or discarded.
  std::string run_one(Handle handle);

  // Forgets a reverter without running it. False if it was not pending.
  bool discard(Handle handle);

  // Runs every pending reverter, newest first. Returns "name: error" for each
  // that failed; empty when all succeeded.
  std::vector<std::string> run_all();

  std::size_t pending() const;

 private:
  struct Entry {
    std::string name;
    Reverter reverter;
    bool pending = true;
  };
  std::string run_entry(Entry& entry);

  std::vector<Entry> entries_;
};

}  // namespace faultline::process
