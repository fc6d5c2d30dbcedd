// The bundled drills (drills/library/*.json) and `faultline list`.
//
// Where the library is: the first of
//   1. --library DIR;
//   2. the FAULTLINE_LIBRARY environment variable (read by the composition
//      root and passed in);
//   3. beside the binary: the first folder, from the binary's own upwards,
//      that holds drills/library (a build tree: build/cli/faultline finds
//      the source tree's) or share/faultline/drills/library (an installed
//      prefix: /usr/local/bin/faultline finds /usr/local/share/...);
//   4. drills/library under the current folder.
//
// Thread-safety: pure functions except for reading the folder.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace faultline::suite {

struct LibrarySearch {
  std::optional<std::filesystem::path> given;  // --library
  std::string environment;                     // FAULTLINE_LIBRARY, empty when unset
  std::filesystem::path binary;                // the running faultline executable
  std::filesystem::path current;               // the current folder
};

// The library's folder and the places looked in, in order (for the error
// when none holds it).
struct LibraryFound {
  std::optional<std::filesystem::path> dir;
  std::vector<std::filesystem::path> searched;
};
LibraryFound find_library(const LibrarySearch& search);

// One bundled drill, as `faultline list` shows it.
struct LibraryDrill {
  std::string file;                 // its path
  std::string name;
  std::string topology;             // the topology kind
  std::vector<std::string> faults;  // the fault kinds, in timeline order
  std::string summary;              // the description's first sentence
  std::string description;
  std::string error;                // the first validation error, when the plan is invalid
};

// Every *.json of `dir`, sorted by file name; invalid plans are listed with
// their first error.
std::vector<LibraryDrill> read_library(const std::filesystem::path& dir);

// The first sentence of a description: up to the first '.', '!' or '?'
// followed by a space or the end (so "etcd 3.4" does not end it).
std::string first_sentence(const std::string& text);

// `faultline list [--json]`: 0, or 2 when no library is found (with where
// it was looked for).
int list_library(const LibrarySearch& search, bool json, std::ostream& out, std::ostream& err);

}  // namespace faultline::suite
