// Shared secrets: comparing a presented token with the expected one in time
// that does not depend on where they first differ (so response times leak
// nothing of the token), and making a fresh one.
//
// Thread-safety: pure functions (random_token reads std::random_device).
#pragma once

#include <string>
#include <string_view>

namespace faultline::util {

// True when `presented` equals `expected`. The time taken depends only on
// their lengths, never on their contents.
bool tokens_equal(std::string_view presented, std::string_view expected);

// `bytes` random bytes as lower-case hex (2 * bytes characters).
std::string random_token(std::size_t bytes = 24);

}  // namespace faultline::util
