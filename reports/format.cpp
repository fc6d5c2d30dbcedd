#include "reports/format.hpp"

#include <cstdio>

#include "drills/verify/objectives.hpp"

namespace faultline::reports {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;  // survives attribute-value normalisation
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string md_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string ms_text(const std::optional<double>& ms) {
  return ms ? verify::format_number(*ms) + " ms" : "—";
}

std::string plain_ms(const std::optional<double>& ms) { return ms ? verify::format_number(*ms) + " ms" : "-"; }

std::string html_cell(const std::string& text, const char* cls) {
  return std::string("<td") + (cls ? std::string(" class='") + cls + "'" : "") + ">" + html_escape(text) + "</td>";
}

std::string more_not_shown(std::size_t total, std::size_t shown) {
  if (total <= shown) return "";
  return "<p class='muted'>" + std::to_string(total - shown) + " more not shown.</p>";
}

std::string seconds_text(std::int64_t t_ns) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(t_ns) / 1e9);
  return buf;
}

std::string measured_text(const std::optional<double>& value, const std::string& unit) {
  if (!value) return "not measured";
  return verify::format_number(*value) + (unit.empty() ? "" : " " + unit);
}

}  // namespace faultline::reports
