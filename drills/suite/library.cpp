#include "drills/suite/library.hpp"

#include <algorithm>
#include <ostream>

#include <nlohmann/json.hpp>

#include "drills/plan/plan.hpp"

namespace faultline::suite {
namespace {

namespace fs = std::filesystem;

bool is_folder(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out.empty() ? "-" : out;
}

}  // namespace

LibraryFound find_library(const LibrarySearch& s) {
  LibraryFound found;
  auto try_dir = [&](const fs::path& dir) {
    found.searched.push_back(dir);
    if (!found.dir && is_folder(dir)) found.dir = dir;
    return found.dir.has_value();
  };
  if (s.given) {
    try_dir(*s.given);
    return found;  // asked for: no other place stands in for it
  }
  if (!s.environment.empty()) {
    try_dir(s.environment);
    return found;
  }
  if (!s.binary.empty()) {
    std::error_code ec;
    const fs::path binary = fs::weakly_canonical(s.binary, ec);
    for (fs::path at = (ec ? s.binary : binary).parent_path(); !at.empty(); at = at.parent_path()) {
      if (try_dir(at / "drills" / "library") || try_dir(at / "share" / "faultline" / "drills" / "library")) {
        return found;
      }
      if (at == at.parent_path()) break;
    }
  }
  try_dir(s.current / "drills" / "library");
  return found;
}

std::string first_sentence(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || text[i + 1] == ' ')) {
      return text.substr(0, i + 1);
    }
  }
  return text;
}

std::vector<LibraryDrill> read_library(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<LibraryDrill> out;
  for (const fs::path& file : files) {
    LibraryDrill d;
    d.file = file.string();
    const plan::LoadResult r = plan::load_plan(file);
    if (!r.plan) {
      d.name = file.stem().string();
      d.topology = "?";
      d.error = r.errors.empty() ? "invalid" : r.errors.front().to_string();
      d.summary = "invalid plan: " + d.error;
    } else {
      d.name = r.plan->name;
      d.topology = r.plan->topology.kind;
      for (const auto& f : r.plan->faults) d.faults.push_back(f.kind);
      d.description = r.plan->description;
      d.summary = first_sentence(r.plan->description);
    }
    out.push_back(std::move(d));
  }
  return out;
}

int list_library(const LibrarySearch& search, bool json, std::ostream& out, std::ostream& err) {
  const LibraryFound found = find_library(search);
  if (!found.dir) {
    err << "error: no drill library found; looked in:";
    for (const auto& p : found.searched) err << "\n  " << p.string();
    err << "\npass --library DIR or set FAULTLINE_LIBRARY to the folder of the bundled plans (drills/library)\n";
    return 2;
  }
  const std::vector<LibraryDrill> drills = read_library(*found.dir);
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : drills) {
      nlohmann::json item{{"name", d.name},       {"file", d.file},
                          {"topology", d.topology}, {"faults", d.faults},
                          {"summary", d.summary}, {"description", d.description},
                          {"valid", d.error.empty()}};
      if (!d.error.empty()) item["error"] = d.error;
      list.push_back(std::move(item));
    }
    out << nlohmann::json{{"library", found.dir->string()}, {"drills", list}}.dump(2) << "\n";
    return 0;
  }
  std::size_t name_w = 4, kind_w = 8, faults_w = 6;
  for (const auto& d : drills) {
    name_w = std::max(name_w, d.name.size());
    kind_w = std::max(kind_w, d.topology.size());
    faults_w = std::max(faults_w, joined(d.faults).size());
  }
  out << pad("name", name_w) << "  " << pad("topology", kind_w) << "  " << pad("faults", faults_w)
      << "  what it demonstrates\n";
  for (const auto& d : drills) {
    out << pad(d.name, name_w) << "  " << pad(d.topology, kind_w) << "  " << pad(joined(d.faults), faults_w) << "  "
        << d.summary << "\n";
  }
  out << drills.size() << " drills in " << found.dir->string() << "\n";
  return 0;
}

}  // namespace faultline::suite
