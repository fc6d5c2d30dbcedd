#include "drills/plan/template.hpp"

namespace faultline::plan {
namespace {

bool name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (!first && ((c >= '0' && c <= '9') || c == '_'));
}

bool arg_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// The placeholder starting at text[at] == '{', if one does.
std::optional<Placeholder> placeholder_at(std::string_view text, std::size_t at) {
  std::size_t i = at + 1;
  const std::size_t name_begin = i;
  while (i < text.size() && name_char(text[i], i == name_begin)) ++i;
  if (i == name_begin || i >= text.size()) return std::nullopt;
  Placeholder p;
  p.name = std::string(text.substr(name_begin, i - name_begin));
  if (text[i] == ':') {
    const std::size_t arg_begin = ++i;
    while (i < text.size() && arg_char(text[i])) ++i;
    if (i == arg_begin || i >= text.size()) return std::nullopt;
    p.arg = std::string(text.substr(arg_begin, i - arg_begin));
  }
  if (text[i] != '}') return std::nullopt;
  p.begin = at;
  p.end = i + 1;
  return p;
}

}  // namespace

std::vector<Placeholder> placeholders(std::string_view text) {
  std::vector<Placeholder> out;
  std::size_t i = 0;
  while ((i = text.find('{', i)) != std::string_view::npos) {
    if (auto p = placeholder_at(text, i)) {
      i = p->end;
      out.push_back(std::move(*p));
    } else {
      ++i;
    }
  }
  return out;
}

std::optional<std::string> render(std::string_view text, const TemplateLookup& lookup, std::string& error) {
  std::string out;
  std::size_t from = 0;
  for (const Placeholder& p : placeholders(text)) {
    const auto value = lookup(p.name, p.arg);
    if (!value) {
      error = "the placeholder " + p.text() + " has no value here";
      return std::nullopt;
    }
    out.append(text.substr(from, p.begin - from));
    out += *value;
    from = p.end;
  }
  out.append(text.substr(from));
  return out;
}

}  // namespace faultline::plan
