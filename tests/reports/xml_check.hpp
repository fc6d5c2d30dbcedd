// A small XML well-formedness check for the JUnit tests: balanced tags,
// quoted attributes, only known entities, no raw '<' or '&' in text.
#pragma once

#include <cctype>
#include <string>
#include <vector>

namespace faultline::testing {

// Returns an empty string if `xml` is well formed, else what is wrong.
inline std::string xml_problem(const std::string& xml) {
  auto valid_entity = [&](std::size_t at) {
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      if (xml.compare(at, std::char_traits<char>::length(e), e) == 0) return true;
    }
    if (xml.compare(at, 2, "&#") != 0) return false;
    std::size_t i = at + 2;
    while (i < xml.size() && std::isdigit(static_cast<unsigned char>(xml[i]))) ++i;
    return i > at + 2 && i < xml.size() && xml[i] == ';';
  };
  std::vector<std::string> open;
  std::size_t i = 0;
  if (xml.rfind("<?xml", 0) == 0) i = xml.find("?>") + 2;
  bool seen_root = false;
  while (i < xml.size()) {
    const char c = xml[i];
    if (c == '&') {
      if (!valid_entity(i)) return "bad entity at " + std::to_string(i);
      ++i;
      continue;
    }
    if (c != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(c))) return "text outside the root";
      ++i;
      continue;
    }
    const bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    std::string name;
    while (j < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '-' || xml[j] == '_')) {
      name += xml[j++];
    }
    if (name.empty()) return "raw '<' at " + std::to_string(i);
    if (closing) {
      if (open.empty() || open.back() != name) return "mismatched </" + name + ">";
      open.pop_back();
      i = xml.find('>', j) + 1;
      continue;
    }
    if (open.empty() && seen_root) return "second root element";
    seen_root = true;
    // Attributes: name="value" with no raw '<' and only valid entities.
    while (j < xml.size() && xml[j] != '>' && xml[j] != '/') {
      if (std::isspace(static_cast<unsigned char>(xml[j]))) {
        ++j;
        continue;
      }
      while (j < xml.size() && xml[j] != '=' && xml[j] != '>') ++j;
      if (j + 1 >= xml.size() || xml[j] != '=' || xml[j + 1] != '"') return "unquoted attribute near " + std::to_string(j);
      j += 2;
      while (j < xml.size() && xml[j] != '"') {
        if (xml[j] == '<') return "raw '<' in attribute at " + std::to_string(j);
        if (xml[j] == '&' && !valid_entity(j)) return "bad entity in attribute at " + std::to_string(j);
        ++j;
      }
      ++j;
    }
    if (j >= xml.size()) return "unterminated tag <" + name;
    if (xml[j] == '/') {
      i = j + 2;  // self-closing
    } else {
      open.push_back(name);
      i = j + 1;
    }
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  return seen_root ? "" : "no root element";
}

}  // namespace faultline::testing
