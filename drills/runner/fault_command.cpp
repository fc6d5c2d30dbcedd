// `faultline fault inject | list | heal`: the client of a running `cluster
// up`'s control API (cluster_up.hpp).
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cluster/http/client.hpp"
#include "drills/runner/cluster_up.hpp"

namespace faultline::runner {

using Json = nlohmann::json;

namespace {

constexpr long kControlTimeoutMs = 70'000;

std::optional<std::string> control_url(const std::filesystem::path& dir, std::string& error) {
  std::ifstream in(dir / "cluster.json");
  std::stringstream text;
  text << in.rdbuf();
  const Json state = Json::parse(text.str(), nullptr, false);
  if (!in || !state.is_object() || !state.contains("control") || !state["control"].is_string()) {
    error = "no cluster is running under " + dir.string() + " (no " + (dir / "cluster.json").string() +
            "); start one with `faultline cluster up --dir " + dir.string() + "`";
    return std::nullopt;
  }
  return state["control"].get<std::string>();
}

Json param_value(const std::string& text) {
  const Json parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? Json(text) : parsed;
}

}  // namespace

int fault_command(const FaultCommandOptions& options, std::ostream& out, std::ostream& err) {
  std::string error;
  const auto url = control_url(options.dir, error);
  if (!url) {
    err << "error: " << error << "\n";
    return 3;
  }
  Json body = Json::object();
  std::string method = "POST", path = "/faults";
  if (options.verb == "inject") {
    body["kind"] = options.kind;
    if (!options.target.empty()) body["target"] = options.target;
    body["at_ms"] = 0;
    if (options.heal_after_ms) body["heal_after_ms"] = *options.heal_after_ms;
    for (const auto& p : options.params) {
      const auto eq = p.find('=');
      if (eq == std::string::npos || eq == 0) {
        err << "error: --param " << p << ": expected NAME=VALUE; nothing was applied\n";
        return 2;
      }
      body[p.substr(0, eq)] = param_value(p.substr(eq + 1));
    }
  } else if (options.verb == "list") {
    method = "GET";
  } else {
    path = "/faults/heal";
    if (options.all) {
      body["all"] = true;
    } else if (options.fault) {
      body["fault"] = *options.fault;
    } else {
      err << "error: fault heal needs a fault id or --all; nothing was healed\n";
      return 2;
    }
  }
  http::Client client;
  const auto response = client.request(method, *url + path, body.dump(), kControlTimeoutMs);
  const Json answer = response.ok() ? Json::parse(response.body, nullptr, false) : Json();
  if (!answer.is_object()) {
    err << "error: the cluster under " << options.dir.string() << " does not answer at " << *url << " ("
        << (response.ok() ? "HTTP " + std::to_string(response.status) : response.error)
        << "); is `faultline cluster up` still running?\n";
    return 3;
  }
  if (!answer.value("success", false)) {
    err << "error: " << answer.value("error", std::string("refused")) << "\n";
    return answer.value("invalid", false) ? 2 : 3;
  }
  if (options.verb == "inject") {
    const Json& f = answer["fault"];
    out << "fault " << f.value("fault", 0) << " (" << f.value("fault_kind", "") << ", " << f.value("effect", "")
        << ") on " << f.value("targets", Json::array()).dump() << "\n  applied:   " << f.value("applied", "")
        << "\n  confirmed: " << f.value("confirmed", "") << "\n";
  } else if (options.verb == "list") {
    const Json& faults = answer["faults"];
    if (faults.empty()) out << "no fault is in force\n";
    for (const auto& f : faults) {
      out << f.value("fault", 0) << "  " << f.value("fault_kind", "") << "  " << f.value("selector", "") << " -> "
          << f.value("targets", Json::array()).dump() << "\n";
    }
  } else {
    out << "healed\n";
  }
  return 0;
}

}  // namespace faultline::runner
