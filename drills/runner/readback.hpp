// After recovery, reads every acknowledged key back from the surviving
// cluster through the target's safest read (a linearizable read on the
// leader), and journals one `readback` event a key: the evidence the RPO
// checker compares acknowledgements with.
#pragma once

#include <string>
#include <vector>

#include "drills/journal/journal.hpp"
#include "drills/targets/target.hpp"

namespace faultline::runner {

// Returns the number of keys that could not be read back (0 when all were);
// those are named in a `note` event.
std::size_t read_back(targets::Target& target, const std::vector<std::string>& keys,
                      journal::JournalWriter& journal);

}  // namespace faultline::runner
