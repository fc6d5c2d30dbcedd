// Escaping and number formatting shared by the renderers.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
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
// The same in plain ASCII ("-" when empty), for the console and Markdown.
std::string plain_ms(const std::optional<double>& ms);
// One HTML table cell, its text escaped, with an optional class.
std::string html_cell(const std::string& text, const char* cls = nullptr);
// "<p class='muted'>N more not shown.</p>" when a table showed only
// `shown` of `total` rows; empty otherwise.
std::string more_not_shown(std::size_t total, std::size_t shown);
// Run time in seconds with millisecond precision: "12.345 s".
std::string seconds_text(std::int64_t t_ns);
// A measured value with its unit, or "not measured".
std::string measured_text(const std::optional<double>& value, const std::string& unit);

}  // namespace faultline::reports
