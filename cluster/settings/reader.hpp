// Field readers for settings files: each reads one member of a JSON object,
// checks its type and range, and on a problem appends "FILE: PATH: expected
// ..., found ..." to the error list and leaves the caller's default alone.
// An object reader also reports members it was not asked about, naming the
// ones it knows (strict sections only).
//
// Thread-safety: a reader is used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::settings {

using Json = nlohmann::json;

// "$.a.b" + key, with ["..."] for keys that are not plain identifiers.
std::string child_path(const std::string& path, const std::string& key);
// A short description of a value for messages: "a string \"x\"", "an array", ...
std::string describe(const Json& value);

class ObjectReader {
 public:
  // `value` may be null (the section is absent: every field takes its
  // default) or must be an object.
  ObjectReader(const Json* value, std::string path, const std::string& file, std::vector<std::string>& errors);
  // Reports every member not in `known`; call after reading.
  void reject_unknown(const std::vector<std::string>& known);

  bool present() const { return object_ != nullptr; }
  bool has(const std::string& key) const;
  const Json* member(const std::string& key) const;
  std::string path_of(const std::string& key) const { return child_path(path_, key); }

  std::optional<bool> boolean(const std::string& key);
  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max,
                                      const char* unit = "");
  std::optional<double> number(const std::string& key, double min, double max);
  std::optional<std::string> string(const std::string& key, bool non_empty = true);
  // One of `allowed`.
  std::optional<std::string> choice(const std::string& key, const std::vector<std::string>& allowed);

  void fail(const std::string& path, const std::string& message);

 private:
  const Json* object_ = nullptr;
  std::string path_;
  const std::string& file_;
  std::vector<std::string>& errors_;
};

}  // namespace faultline::settings
