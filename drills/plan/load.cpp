// Reading and parsing plan files: the JSON edge of this library, where
// nlohmann's exceptions are caught and turned into PlanErrors.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include "cluster/util/fnv1a64.hpp"
#include "drills/plan/locate.hpp"
#include "drills/plan/overrides.hpp"
#include "drills/plan/plan.hpp"
#include "drills/plan/reader.hpp"
#include "drills/plan/validate.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxPlanBytes = 4 * 1024 * 1024;

// nlohmann reports the position just after the token it could not use; a
// reader wants the token's start. Tokenizes from the beginning (the text is
// short) to find the token that holds the last byte read.
std::size_t token_start(std::string_view text, std::size_t last) {
  std::size_t i = 0;
  while (i < text.size() && i <= last) {
    const char c = text[i];
    std::size_t end = i + 1;
    if (c == '"') {
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2u : 1u;
      end = std::min(end + 1, text.size());
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' ||
               c == '[' || c == ']' || c == ',' || c == ':') {
      // a single-byte token or white space
    } else {
      while (end < text.size() &&
             std::string_view(" \t\n\r{}[],:\"").find(text[end]) == std::string_view::npos) {
        ++end;
      }
    }
    if (last < end) return i;
    i = end;
  }
  return last;
}

// nlohmann reports the failing byte as a count of bytes read (1-based);
// turn it into a 1-based line and column.
std::pair<int, int> line_and_column(std::string_view text, std::size_t byte) {
  std::size_t offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
  if (offset < text.size()) offset = token_start(text, offset);
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: syntax
// error while parsing value - unexpected '}'; expected ..." ->
// "while parsing value: unexpected '}'; expected ...".
std::string describe_parse_error(const std::string& what) {
  const std::string marker = "syntax error while parsing ";
  const std::size_t at = what.find(marker);
  if (at == std::string::npos) {
    const std::size_t close = what.find("] ");
    return close == std::string::npos ? what : what.substr(close + 2);
  }
  const std::string rest = what.substr(at + marker.size());
  const std::size_t dash = rest.find(" - ");
  if (dash == std::string::npos) return rest;
  std::string detail = rest.substr(dash + 3);
  // nlohmann expects the closing bracket where the usual mistake is a comma
  // forgotten at the end of the previous member or element.
  const bool value_after_value =
      detail.rfind("unexpected", 0) == 0 &&
      detail.find("unexpected end of input") == std::string::npos &&
      (detail.ends_with("expected '}'") || detail.ends_with("expected ']'"));
  if (value_after_value) detail += " (is a ',' missing before it?)";
  return "while parsing " + rest.substr(0, dash) + ": " + detail;
}

struct Overridden {
  JsonPath path;
  std::string assignment;
  int index = -1;  // in the caller's list of overrides
};

PlanError to_error(const Issue& issue, std::string_view text, const std::string& file,
                   const std::vector<Overridden>& overridden) {
  PlanError error{file, 0, format_path(issue.path), issue.message};
  // The last override of a path is the one whose value is in the document.
  for (auto it = overridden.rbegin(); it != overridden.rend(); ++it) {
    if (starts_with(issue.path, it->path)) {
      error.message += " (set by --set " + show_text(it->assignment) + ")";
      error.override_index = it->index;
      return error;  // the file's line would point at the value it replaced
    }
  }
  error.line = locate_line(text, issue.path);
  return error;
}

}  // namespace

LoadResult parse_plan(std::string_view text, std::string file_label,
                      const std::vector<std::string>& overrides) {
  LoadResult result;
  result.text = std::string(text);

  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    const auto [line, column] = line_and_column(text, e.byte);
    result.errors.push_back({file_label, line, "",
                             "malformed JSON at column " + std::to_string(column) + ", " +
                                 describe_parse_error(e.what())});
    return result;
  }

  // The parser keeps the last of two equal keys and drops the first: a
  // plan that says a thing twice is refused rather than half read.
  for (const DuplicateKey& d : duplicate_keys(text)) {
    const std::string key = std::get<std::string>(d.path.back());
    result.errors.push_back({file_label, d.line, format_path(d.path),
                             "duplicate key " + show_text(key) + " (first on line " + std::to_string(d.first_line) +
                                 "): JSON keeps only the last one; write it once"});
  }

  std::vector<Overridden> overridden;
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const std::string& assignment = overrides[i];
    OverrideResult applied = apply_override(doc, assignment);
    if (applied.ok) {
      overridden.push_back({std::move(applied.path), assignment, static_cast<int>(i)});
    } else {
      PlanError error{file_label, 0, "", "invalid --set " + show_text(assignment) + ": " + applied.error};
      error.override_index = static_cast<int>(i);
      result.errors.push_back(std::move(error));
    }
  }

  Validation validation = validate(doc);
  for (const Issue& issue : validation.issues) {
    result.errors.push_back(to_error(issue, text, file_label, overridden));
  }
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [](const PlanError& a, const PlanError& b) { return a.line < b.line; });
  if (result.errors.empty()) result.plan = std::move(validation.plan);
  return result;
}

std::optional<std::string> read_plan_file(const std::filesystem::path& file, std::string& error) {
  const std::string label = file.string();
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::FILE* f = std::fopen(label.c_str(), "rb");
  if (f == nullptr) {
    error = std::generic_category().message(errno);
    return std::nullopt;
  }
  std::string text;
  char buffer[16384];
  bool too_large = false;
  bool read_error = false;
  int read_errno = 0;
  while (true) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, f);
    text.append(buffer, n);
    if (text.size() > kMaxPlanBytes) {
      too_large = true;
      break;
    }
    if (n < sizeof buffer) {
      if (std::ferror(f) != 0) {
        read_error = true;
        read_errno = errno;
      }
      break;
    }
  }
  std::fclose(f);
  if (too_large) {
    error = "larger than " + std::to_string(kMaxPlanBytes) + " bytes";
    return std::nullopt;
  }
  if (read_error) {
    error = std::generic_category().message(read_errno);
    return std::nullopt;
  }
  return text;
}

LoadResult load_plan(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  std::string error;
  const std::optional<std::string> text = read_plan_file(file, error);
  if (!text) {
    LoadResult result;
    result.errors.push_back({file.string(), 0, "", "cannot read plan: " + error});
    return result;
  }
  return parse_plan(*text, file.string(), overrides);
}

std::string plan_hash(std::string_view text) { return util::fnv1a64_hex(text); }

}  // namespace faultline::plan
