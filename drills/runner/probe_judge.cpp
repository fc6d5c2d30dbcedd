#include "drills/runner/probe_judge.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>

#include "drills/plan/json_path.hpp"
#include "drills/verify/objectives.hpp"

namespace faultline::runner {
namespace {

using verify::format_number;

std::string shown(const std::string& text, std::size_t limit = 120) {
  std::string out;
  for (char c : text) {
    if (out.size() >= limit) return out + "...";
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

// Matches `pattern` (ECMAScript) anywhere in `text`; an invalid pattern is
// a failure that says so.
std::optional<std::string> regex_problem(const std::string& pattern, const std::string& text, const char* what) {
  try {
    if (std::regex_search(text, std::regex(pattern, std::regex::ECMAScript))) return std::nullopt;
    return std::string(what) + " does not match /" + pattern + "/: " + (text.empty() ? "(empty)" : shown(text));
  } catch (const std::regex_error& e) {
    return "the regex /" + pattern + "/ is not valid: " + e.what();
  }
}

std::string label_text(const Json& labels) {
  if (!labels.is_object() || labels.empty()) return "";
  std::string s = "{";
  for (const auto& [k, v] : labels.items()) {
    s += (s.size() > 1 ? "," : "") + k + "=\"" + (v.is_string() ? v.get<std::string>() : v.dump()) + "\"";
  }
  return s + "}";
}

ProbeOutcome compared(double value, const Json& params, const std::string& what) {
  const std::string op = params.value("op", std::string("=="));
  const double limit = params.value("value", 0.0);
  ProbeOutcome o;
  o.value = value;
  o.pass = compare(value, op, limit);
  if (!o.pass) o.detail = what + " = " + format_number(value) + ", expected " + op + " " + format_number(limit);
  return o;
}

// Parses `name{a="x",b="y"} value [timestamp]`; false for lines that are not samples.
bool parse_sample_line(const std::string& line, std::string& name, std::map<std::string, std::string>& labels,
                       std::string& value) {
  std::size_t i = 0;
  while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  if (i == line.size() || line[i] == '#') return false;
  const std::size_t start = i;
  while (i < line.size() && line[i] != '{' && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  name = line.substr(start, i - start);
  labels.clear();
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      while (i < line.size() && (line[i] == ',' || line[i] == ' ')) ++i;
      if (i < line.size() && line[i] == '}') break;
      const std::size_t key_start = i;
      while (i < line.size() && line[i] != '=') ++i;
      std::string key = line.substr(key_start, i - key_start);
      while (!key.empty() && key.back() == ' ') key.pop_back();
      if (i + 1 >= line.size() || line[i + 1] != '"') return false;
      i += 2;
      std::string text;
      while (i < line.size() && line[i] != '"') {
        if (line[i] == '\\' && i + 1 < line.size()) {
          ++i;
          text += line[i] == 'n' ? '\n' : line[i];
        } else {
          text += line[i];
        }
        ++i;
      }
      if (i == line.size()) return false;
      ++i;  // the closing quote
      labels[key] = text;
    }
    if (i == line.size()) return false;
    ++i;  // '}'
  }
  std::istringstream rest(line.substr(i));
  return static_cast<bool>(rest >> value);
}

std::optional<double> number_of(const std::string& text) {
  if (text == "NaN") return std::nan("");
  if (text == "+Inf" || text == "Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') return std::nullopt;
  return v;
}

}  // namespace

ProbeOutcome failed_sample(std::string why) {
  ProbeOutcome o;
  o.detail = std::move(why);
  return o;
}

bool compare(double value, const std::string& op, double limit) {
  if (op == "<") return value < limit;
  if (op == "<=") return value <= limit;
  if (op == "==") return value == limit;
  if (op == "!=") return value != limit;
  if (op == ">=") return value >= limit;
  if (op == ">") return value > limit;
  return false;
}

ProbeOutcome judge_http(const Json& params, long status, const std::string& body) {
  ProbeOutcome o;
  o.value = status;
  const long expected = params.value("status", 200L);
  if (status != expected) {
    o.detail = "status " + std::to_string(status) + ", expected " + std::to_string(expected);
    if (!body.empty()) o.detail += ": " + shown(body, 80);
    return o;
  }
  if (params.contains("json_path") && params["json_path"].is_string()) {
    const std::string text = params["json_path"].get<std::string>();
    std::string error;
    const auto path = plan::parse_json_path(text, error);
    if (!path) return failed_sample("json_path " + text + " is not a JSON path: " + error);
    const Json doc = Json::parse(body, nullptr, false);
    if (doc.is_discarded()) return failed_sample("the answer is not JSON: " + shown(body, 80));
    const Json* at = plan::find_at(doc, *path);
    if (at == nullptr) return failed_sample("the answer has nothing at " + text + ": " + shown(body, 80));
    o.value = *at;
    if (params.contains("equals")) {
      if (*at != params["equals"]) {
        o.detail = text + " is " + shown(at->dump(), 80) + ", expected " + shown(params["equals"].dump(), 80);
        return o;
      }
    } else if (at->is_null()) {
      o.detail = text + " is null";
      return o;
    }
  }
  if (params.contains("regex") && params["regex"].is_string()) {
    if (auto problem = regex_problem(params["regex"].get<std::string>(), body, "the body")) {
      o.detail = *problem;
      return o;
    }
  }
  o.pass = true;
  return o;
}

std::optional<double> find_metric(const std::string& text, const std::string& name, const Json& labels,
                                  std::string& error) {
  std::istringstream lines(text);
  std::string line, sample_name, value;
  std::map<std::string, std::string> sample_labels;
  bool named = false;
  while (std::getline(lines, line)) {
    if (!parse_sample_line(line, sample_name, sample_labels, value) || sample_name != name) continue;
    named = true;
    bool all = true;
    if (labels.is_object()) {
      for (const auto& [k, v] : labels.items()) {
        const auto it = sample_labels.find(k);
        if (it == sample_labels.end() || it->second != (v.is_string() ? v.get<std::string>() : v.dump())) all = false;
      }
    }
    if (!all) continue;
    if (auto number = number_of(value)) return number;
    error = "the line of " + name + " has no number: " + shown(line, 80);
    return std::nullopt;
  }
  error = named ? "no line of " + name + " carries " + label_text(labels) : "the page has no metric " + name;
  return std::nullopt;
}

ProbeOutcome judge_metric(const Json& params, long status, const std::string& body) {
  if (status != 200) return failed_sample("status " + std::to_string(status) + " from the metrics page");
  const std::string name = params.value("metric", std::string());
  const Json labels = params.contains("labels") ? params["labels"] : Json::object();
  std::string error;
  const auto value = find_metric(body, name, labels, error);
  if (!value) return failed_sample(error);
  return compared(*value, params, name + label_text(labels));
}

ProbeOutcome judge_cluster(const Json& params, long status, const std::string& body) {
  if (status != 200) return failed_sample("status " + std::to_string(status) + " from /api/cluster/status");
  const Json doc = Json::parse(body, nullptr, false);
  const std::string field = params.value("field", std::string());
  const std::string key = field == "active_nodes" ? "activeNodes" : field;
  if (!doc.is_object() || !doc.contains("data") || !doc["data"].is_object() || !doc["data"].contains("stats") ||
      !doc["data"]["stats"].is_object() || !doc["data"]["stats"].contains(key) ||
      !doc["data"]["stats"][key].is_number()) {
    return failed_sample("the answer has no data.stats." + key + ": " + shown(body, 80));
  }
  return compared(doc["data"]["stats"][key].get<double>(), params, field);
}

ProbeOutcome judge_raft(const Json& params, const std::vector<std::pair<std::string, targets::MemberStatus>>& voters) {
  const std::string check = params.value("check", std::string("one_leader"));
  std::size_t up = 0;
  std::uint64_t max_term = 0;
  std::vector<std::string> leaders;
  for (const auto& [id, s] : voters) {
    if (!s.up) continue;
    ++up;
    max_term = std::max(max_term, s.term);
    if (s.role == "leader") leaders.push_back(id + " (term " + std::to_string(s.term) + ")");
  }
  if (up == 0) return failed_sample("no voter answered");
  if (check == "max_term") {
    const double limit = params.value("value", 0.0);
    ProbeOutcome o;
    o.value = max_term;
    o.pass = static_cast<double>(max_term) <= limit;
    if (!o.pass) o.detail = "term " + std::to_string(max_term) + " is above " + format_number(limit);
    return o;
  }
  if (leaders.size() != 1) {
    std::string who;
    for (const auto& l : leaders) who += (who.empty() ? "" : ", ") + l;
    return failed_sample(leaders.empty() ? "no voter says it leads (" + std::to_string(up) + " of " +
                                               std::to_string(voters.size()) + " answered)"
                                         : std::to_string(leaders.size()) + " voters say they lead: " + who);
  }
  std::string leader;
  for (const auto& [id, s] : voters) {
    if (s.up && s.role == "leader") leader = id;
  }
  std::size_t naming = 0;
  for (const auto& [id, s] : voters) {
    if (s.up && (id == leader || (s.leader && *s.leader == leader))) ++naming;
  }
  ProbeOutcome o;
  o.value = leader;
  o.pass = naming >= voters.size() / 2 + 1;
  if (!o.pass) {
    o.detail = "only " + std::to_string(naming) + " of " + std::to_string(voters.size()) + " voters name " + leader +
               " as leader";
  }
  return o;
}

ProbeOutcome judge_command(const Json& params, const process::ExitStatus& exit, const std::string& output) {
  ProbeOutcome o;
  const int expected = params.value("exit_code", 0);
  o.value = exit.code ? Json(*exit.code) : Json(nullptr);
  if (!exit.exited_with(expected)) {
    o.detail = exit.describe() + ", expected exit code " + std::to_string(expected);
    if (!output.empty()) o.detail += ": " + shown(output, 80);
    return o;
  }
  if (params.contains("output_regex") && params["output_regex"].is_string()) {
    if (auto problem = regex_problem(params["output_regex"].get<std::string>(), output, "the output")) {
      o.detail = *problem;
      return o;
    }
  }
  o.pass = true;
  return o;
}

}  // namespace faultline::runner
