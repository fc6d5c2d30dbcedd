#include "drills/verify/lin/parse.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

namespace faultline::lin {

std::optional<Format> parse_format_name(const std::string& name) {
  if (name == "auto") return Format::Auto;
  if (name == "jepsen-log") return Format::JepsenLog;
  if (name == "edn") return Format::Edn;
  if (name == "journal") return Format::Journal;
  return std::nullopt;
}

const char* format_name(Format format) {
  switch (format) {
    case Format::Auto: return "auto";
    case Format::JepsenLog: return "jepsen-log";
    case Format::Edn: return "edn";
    case Format::Journal: return "journal";
  }
  return "?";
}

namespace {

Format detect(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  // Set-up chatter may precede the history; look a little way in.
  for (int i = 0; i < 200 && std::getline(lines, line); ++i) {
    std::size_t p = line.find_first_not_of(" \t\r");
    if (p == std::string::npos) continue;
    if (line.compare(p, 2, "{\"") == 0) return Format::Journal;
    if (line.compare(p, 2, "{:") == 0) return Format::Edn;
    if (line.find("jepsen.util") != std::string::npos) return Format::JepsenLog;
  }
  return Format::JepsenLog;
}

}  // namespace

ParseResult parse_history(std::istream& in, const std::string& source, Format format) {
  if (format == Format::Auto) {
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const Format detected = detect(text);
    std::istringstream again(std::move(text));
    return parse_history(again, source, detected);
  }
  ParseResult r;
  switch (format) {
    case Format::JepsenLog: r = parse_jepsen_log(in, source); break;
    case Format::Edn: r = parse_edn(in, source); break;
    case Format::Journal: r = parse_journal(in, source); break;
    case Format::Auto: break;
  }
  r.format = format;
  return r;
}

ParseResult load_history(const std::string& path, Format format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ParseResult r;
    r.error = path + ": cannot open the file";
    return r;
  }
  if (format != Format::Auto) return parse_history(in, path, format);
  // Read once, with the size known, then detect and parse from memory.
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::string text(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  if (!text.empty()) in.read(text.data(), static_cast<std::streamsize>(text.size()));
  const Format detected = detect(text);
  std::istringstream from_memory(std::move(text));
  return parse_history(from_memory, path, detected);
}

}  // namespace faultline::lin
