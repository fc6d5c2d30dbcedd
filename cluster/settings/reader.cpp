#include "cluster/settings/reader.hpp"

#include <sstream>

#include <cctype>

namespace faultline::settings {

std::string child_path(const std::string& path, const std::string& key) {
  bool plain = !key.empty() && (std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_');
  for (char c : key) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  return plain ? path + "." + key : path + "[" + Json(key).dump() + "]";
}

std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::string: {
      std::string text = value.get<std::string>();
      if (text.size() > 40) text = text.substr(0, 40) + "...";
      return "the string " + Json(text).dump();
    }
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "the number " + value.dump();
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "a value of another type";
  }
}

ObjectReader::ObjectReader(const Json* value, std::string path, const std::string& file,
                           std::vector<std::string>& errors)
    : path_(std::move(path)), file_(file), errors_(errors) {
  if (value == nullptr || value->is_null()) return;
  if (!value->is_object()) {
    fail(path_, "expected an object, found " + describe(*value));
    return;
  }
  object_ = value;
}

void ObjectReader::fail(const std::string& path, const std::string& message) {
  errors_.push_back(file_ + ": " + path + ": " + message);
}

void ObjectReader::reject_unknown(const std::vector<std::string>& known) {
  if (object_ == nullptr) return;
  for (const auto& [key, value] : object_->items()) {
    (void)value;
    bool listed = false;
    for (const auto& k : known) listed = listed || k == key;
    if (listed) continue;
    std::string names;
    for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
    fail(path_of(key), "unknown field; " + path_ + " takes " + names);
  }
}

bool ObjectReader::has(const std::string& key) const { return member(key) != nullptr; }

const Json* ObjectReader::member(const std::string& key) const {
  if (object_ == nullptr) return nullptr;
  const auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

std::optional<bool> ObjectReader::boolean(const std::string& key) {
  const Json* v = member(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    fail(path_of(key), "expected true or false, found " + describe(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> ObjectReader::integer(const std::string& key, std::int64_t min, std::int64_t max,
                                                  const char* unit) {
  const Json* v = member(key);
  if (v == nullptr) return std::nullopt;
  const std::string range = std::to_string(min) + ".." + std::to_string(max) + (*unit ? std::string(" ") + unit : "");
  if (!v->is_number_integer() && !v->is_number_unsigned()) {
    fail(path_of(key), "expected an integer in " + range + ", found " + describe(*v));
    return std::nullopt;
  }
  const auto n = v->get<std::int64_t>();
  if (n < min || n > max) {
    fail(path_of(key), "expected an integer in " + range + ", found " + std::to_string(n));
    return std::nullopt;
  }
  return n;
}

std::optional<double> ObjectReader::number(const std::string& key, double min, double max) {
  const Json* v = member(key);
  if (v == nullptr) return std::nullopt;
  std::ostringstream range;
  range << min << ".." << max;
  if (!v->is_number()) {
    fail(path_of(key), "expected a number in " + range.str() + ", found " + describe(*v));
    return std::nullopt;
  }
  const double n = v->get<double>();
  if (!(n >= min && n <= max)) {
    fail(path_of(key), "expected a number in " + range.str() + ", found " + v->dump());
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> ObjectReader::string(const std::string& key, bool non_empty) {
  const Json* v = member(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string() || (non_empty && v->get<std::string>().empty())) {
    fail(path_of(key), std::string("expected a ") + (non_empty ? "non-empty " : "") + "string, found " +
                           (v->is_string() ? "an empty string" : describe(*v)));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::string> ObjectReader::choice(const std::string& key, const std::vector<std::string>& allowed) {
  const Json* v = member(key);
  if (v == nullptr) return std::nullopt;
  std::string names;
  for (const auto& a : allowed) names += (names.empty() ? "" : " | ") + a;
  if (v->is_string()) {
    for (const auto& a : allowed) {
      if (a == v->get<std::string>()) return a;
    }
  }
  fail(path_of(key), "expected one of " + names + ", found " + describe(*v));
  return std::nullopt;
}

}  // namespace faultline::settings
