// Turning a failed search into evidence a person can read (internal).
#pragma once

#include "drills/verify/lin/checker.hpp"

namespace faultline::lin {

// Replays the longest prefix, then tests every operation that could come
// next (invoked before the earliest pending return) against that state.
Evidence build_evidence(KeyHistory& key, const KeyOutcome& outcome);

}  // namespace faultline::lin
