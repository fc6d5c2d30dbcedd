// Templates of the `processes` topology: command lines, environment values,
// peer entries, request paths and bodies in which `{name}` and `{name:arg}`
// stand for a value known only when the run is placed (`{address}`,
// `{port:client}`, `{key_base64}`). A placeholder is a `{`, a lower-case
// name ([a-z][a-z0-9_]*), an optional `:` and argument ([A-Za-z0-9_.-]+),
// and a `}`; every other brace is literal text, so JSON bodies need no
// escaping (`{"key": "{key_base64}"}` has one placeholder).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::plan {

struct Placeholder {
  std::string name;
  std::string arg;  // empty when the placeholder has none
  std::size_t begin = 0;  // offset of '{'
  std::size_t end = 0;    // one past '}'
  // "{name}" or "{name:arg}", as written.
  std::string text() const { return "{" + name + (arg.empty() ? "" : ":" + arg) + "}"; }
};

// Every placeholder of `text`, in order.
std::vector<Placeholder> placeholders(std::string_view text);

// The value of one placeholder, or nullopt when it has none here.
using TemplateLookup = std::function<std::optional<std::string>(const std::string& name, const std::string& arg)>;

// `text` with every placeholder replaced by its value; nullopt with `error`
// naming the first placeholder that has no value.
std::optional<std::string> render(std::string_view text, const TemplateLookup& lookup, std::string& error);

}  // namespace faultline::plan
