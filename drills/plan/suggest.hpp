// "Did you mean" for unknown names: the closest known name by edit distance,
// when it is close enough to be a likely typo.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::plan {

// Optimal string alignment distance (Levenshtein plus adjacent transposition,
// so "at_sm" is one edit from "at_ms"), compared case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if its distance is at most a third of the
// candidate's length (at least 1, at most 3); ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// "a, b, c" — for messages listing the allowed values.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace faultline::plan
