// libfaketime's control file, as the clock kind and the targets that start
// members under libfaketime write it (drills/targets/faketime.hpp): one line,
// a relative offset in seconds ("+30.000", "-2.500"), replaced atomically so
// that libfaketime, which re-reads it on every clock call, never sees half
// of one.
//
// Thread-safety: one writer per file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace faultline::faults {

// Nullopt, or why the file could not be written.
std::optional<std::string> write_faketime_offset(const std::filesystem::path& file, double offset_ms);

}  // namespace faultline::faults
