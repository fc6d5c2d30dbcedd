#include "drills/plan/suite.hpp"

#include "drills/plan/locate.hpp"
#include "drills/plan/plan.hpp"
#include "drills/plan/reader.hpp"
#include "drills/plan/validate.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

struct Entry {
  std::string written;  // the plan path as the suite writes it
  std::filesystem::path file;
  std::vector<std::pair<std::string, json>> set;
  JsonPath path;     // $.plans[i]
  JsonPath plan_at;  // where the plan path is written: $.plans[i] or $.plans[i].plan
};

struct SuiteDoc {
  std::string name;
  std::string description;
  std::vector<Entry> entries;
};

std::string assignment(const std::string& path, const json& value) { return path + "=" + value.dump(); }

SuiteDoc read_suite(const json& doc, const std::filesystem::path& base, Issues& issues) {
  SuiteDoc out;
  ObjectReader root(doc, {}, issues, {"suite", "description", "plans"});
  if (auto name = root.string("suite", std::nullopt, Need::required).value) {
    out.name = *name;
    if (!valid_name(*name)) {
      issues.push_back({root.path_of("suite"), "invalid suite name " + show_text(*name) +
                                                   ": use lower-case letters, digits, '-', '_' and '.', starting "
                                                   "with a letter or digit"});
    }
  }
  out.description = root.string("description", "").value.value_or("");
  const json* plans = root.member("plans", Need::required);
  if (plans == nullptr) return out;
  const JsonPath plans_path = root.path_of("plans");
  if (!plans->is_array() || plans->empty()) {
    issues.push_back({plans_path, "expected a non-empty array of plans ({\"plan\": PATH, \"set\": {...}} or PATH), "
                                  "found " + describe(*plans)});
    return out;
  }
  for (std::size_t i = 0; i < plans->size(); ++i) {
    const json& item = (*plans)[i];
    Entry entry;
    entry.path = child(plans_path, i);
    std::optional<std::string> written;
    JsonPath written_at = entry.path;
    if (item.is_string()) {
      written = item.get<std::string>();
    } else {
      ObjectReader r(item, entry.path, issues, {"plan", "set"});
      if (!r.is_object()) continue;
      written = r.string("plan", std::nullopt, Need::required).value;
      written_at = r.path_of("plan");
      if (const json* set = r.member("set")) {
        if (!set->is_object()) {
          issues.push_back({r.path_of("set"), "expected an object of PATH: VALUE overrides (as --set takes them), "
                                              "found " + describe(*set)});
        } else {
          for (const auto& [key, value] : set->items()) entry.set.emplace_back(key, value);
        }
      }
    }
    if (!written) continue;
    entry.plan_at = written_at;
    if (written->empty()) {
      issues.push_back({written_at, "a plan path is not empty: name a plan file, relative to the suite's folder"});
      continue;
    }
    entry.written = *written;
    entry.file = (base / *written).lexically_normal();
    out.entries.push_back(std::move(entry));
  }
  return out;
}

// The plan's own error, or one about a value the suite's `set` wrote, moved
// to that `set` entry of the suite file.
PlanError from_suite_set(PlanError e, const Entry& entry, const std::string& suite_file, std::string_view suite_text) {
  const auto& [key, value] = entry.set[static_cast<std::size_t>(e.override_index)];
  const std::string shown = show_text(assignment(key, value));
  const std::string suffix = " (set by --set " + shown + ")";
  const std::string prefix = "invalid --set " + shown + ": ";
  std::string message = e.message;
  if (message.size() >= suffix.size() && message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0) {
    message.erase(message.size() - suffix.size());
    message += " (in " + e.file + (e.path.empty() ? "" : " at " + e.path) + ")";
  } else if (message.rfind(prefix, 0) == 0) {
    message = "cannot set " + show_text(key) + " in " + e.file + ": " + message.substr(prefix.size());
  }
  const JsonPath at = child(child(entry.path, std::string("set")), key);
  PlanError out{suite_file, locate_line(suite_text, at), format_path(at), message};
  return out;
}

void add_plan(RunList& list, const std::filesystem::path& file, std::string_view text,
              const std::vector<std::string>& overrides, const std::string& suite) {
  LoadResult r = parse_plan(text, file.string(), overrides);
  if (!r.plan) {
    list.errors.insert(list.errors.end(), r.errors.begin(), r.errors.end());
    return;
  }
  list.plans.push_back({std::move(*r.plan), std::move(r.text), file, overrides, suite});
}

void add_suite(RunList& list, const std::filesystem::path& file, std::string_view text, const json& doc,
               const std::vector<std::string>& overrides) {
  const std::string label = file.string();
  std::vector<PlanError> errors;
  for (const DuplicateKey& d : duplicate_keys(text)) {
    errors.push_back({label, d.line, format_path(d.path),
                      "duplicate key " + show_text(std::get<std::string>(d.path.back())) + " (first on line " +
                          std::to_string(d.first_line) + "): JSON keeps only the last one; write it once"});
  }
  Issues issues;
  const SuiteDoc suite = read_suite(doc, file.parent_path(), issues);
  for (const Issue& i : issues) errors.push_back({label, locate_line(text, i.path), format_path(i.path), i.message});
  ++list.suite_files;
  list.suite_name = suite.name;
  list.suite_description = suite.description;
  for (const Entry& entry : suite.entries) {
    const JsonPath& at = entry.plan_at;
    std::string read_error;
    const std::optional<std::string> plan_text = read_plan_file(entry.file, read_error);
    if (!plan_text) {
      errors.push_back({label, locate_line(text, at), format_path(at),
                        "cannot read plan " + entry.file.string() + ": " + read_error +
                            " (paths are relative to the suite file's folder)"});
      continue;
    }
    const json plan_doc = json::parse(*plan_text, nullptr, false);
    if (is_suite_document(plan_doc)) {
      errors.push_back({label, locate_line(text, at), format_path(at),
                        entry.file.string() + " is a suite file: a suite lists plans, not suites"});
      continue;
    }
    std::vector<std::string> all;
    for (const auto& [key, value] : entry.set) all.push_back(assignment(key, value));
    all.insert(all.end(), overrides.begin(), overrides.end());
    LoadResult r = parse_plan(*plan_text, entry.file.string(), all);
    for (PlanError& e : r.errors) {
      const bool from_set = e.override_index >= 0 && static_cast<std::size_t>(e.override_index) < entry.set.size();
      if (from_set) {
        errors.push_back(from_suite_set(std::move(e), entry, label, text));
      } else {
        if (e.override_index >= 0) e.override_index -= static_cast<int>(entry.set.size());
        errors.push_back(std::move(e));
      }
    }
    if (r.plan) list.plans.push_back({std::move(*r.plan), std::move(r.text), entry.file, all, suite.name});
  }
  list.errors.insert(list.errors.end(), errors.begin(), errors.end());
}

}  // namespace

bool is_suite_document(const json& doc) { return doc.is_object() && doc.contains("suite"); }

RunList load_run_list(const std::vector<std::filesystem::path>& files, const std::vector<std::string>& overrides) {
  RunList list;
  for (const std::filesystem::path& file : files) {
    std::string error;
    const std::optional<std::string> text = read_plan_file(file, error);
    if (!text) {
      list.errors.push_back({file.string(), 0, "", "cannot read plan: " + error});
      continue;
    }
    const json doc = json::parse(*text, nullptr, false);
    if (is_suite_document(doc)) {
      add_suite(list, file, *text, doc, overrides);
    } else {
      add_plan(list, file, *text, overrides, "");
    }
  }
  if (list.suite_files != 1 || files.size() != 1) {
    list.suite_name.clear();
    list.suite_description.clear();
  }
  if (!list.errors.empty()) list.plans.clear();
  return list;
}

}  // namespace faultline::plan
