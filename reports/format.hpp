// Escaping and number formatting shared by the renderers.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::reports {

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);
// Escapes for XML 1.0 text and attributes; drops the control characters
// XML 1.0 cannot carry at all (all below 0x20 except tab, newline, return).
std::string xml_escape(std::string_view text);
// Escapes | and newlines so text stays inside one Markdown table cell.
std::string md_cell(std::string_view text);

// "812.4 ms", or "—" (not measured) when empty.
std::string ms_text(const std::optional<double>& ms);
// Run time in seconds with millisecond precision: "12.345 s".
std::string seconds_text(std::int64_t t_ns);
// A measured value with its unit, or "not measured".
std::string measured_text(const std::optional<double>& value, const std::string& unit);

}  // namespace faultline::reports
