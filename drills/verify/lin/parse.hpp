// Reading histories from files: Jepsen log lines, Jepsen EDN maps, and our
// own journal (docs/journal.md). Errors are values naming the source and line.
#pragma once

#include <istream>
#include <optional>
#include <string>

#include "drills/verify/lin/history.hpp"

namespace faultline::lin {

enum class Format : std::uint8_t { Auto, JepsenLog, Edn, Journal };

// "auto", "jepsen-log", "edn", "journal"; nullopt for anything else.
std::optional<Format> parse_format_name(const std::string& name);
const char* format_name(Format format);

struct ParseResult {
  std::optional<History> history;
  std::string error;  // "SOURCE:LINE: what was wrong", set when history is empty
  Format format = Format::Auto;  // the format actually read
};

// Auto looks at the first lines: `{"` journal JSON, `{:` EDN, else a Jepsen log.
// `source` names the input in messages.
ParseResult parse_history(std::istream& in, const std::string& source, Format format);
ParseResult load_history(const std::string& path, Format format);

// One parser per format; `in` is read to the end.
ParseResult parse_jepsen_log(std::istream& in, const std::string& source);
ParseResult parse_edn(std::istream& in, const std::string& source);
ParseResult parse_journal(std::istream& in, const std::string& source);

}  // namespace faultline::lin
