#include "drills/runner/cluster_up.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include "chaos/faults/registry.hpp"
#include "chaos/netns/namespace.hpp"
#include "chaos/process/termination.hpp"
#include "chaos/process/wait.hpp"
#include "cluster/http/server.hpp"
#include "drills/plan/plan.hpp"
#include "drills/plan/validate.hpp"
#include "drills/runner/control_queue.hpp"
#include "drills/runner/host_forwards.hpp"
#include "drills/runner/live_cluster.hpp"
#include "drills/runner/monitor.hpp"
#include "drills/runner/run_environment.hpp"
#include "drills/targets/member_process.hpp"

namespace faultline::runner {

using Json = nlohmann::json;

namespace {

constexpr auto kControlWait = std::chrono::seconds(60);

plan::Plan cluster_plan(const ClusterUpOptions& o) {
  plan::Plan p;
  p.name = "cluster-up";
  p.topology.coordinators = o.coordinators;
  p.topology.workers = o.workers;
  p.workload.duration_ms = 1;
  return p;
}

// The plan validator's reading of one fault asked by hand.
std::optional<plan::FaultSpec> read_request(const Json& body, const faults::FaultEnvironment& environment,
                                            std::string& error) {
  plan::FaultContext context;
  context.topology_known = true;
  context.topology_kind = "embedded";
  context.voters = environment.voters();
  context.workers = environment.workers();
  context.others = environment.others();
  plan::Issues issues;
  const Json list = Json::array({body});
  auto faults = plan::read_faults(&list, {}, context, issues);
  for (const auto& issue : issues) {
    std::string path = plan::format_path(issue.path);
    if (path.rfind("$[0].", 0) == 0) path = path.substr(5);
    error += (error.empty() ? "" : "; ") + path + ": " + issue.message;
  }
  if (faults.size() != 1) return std::nullopt;
  return faults.front();
}

}  // namespace

int cluster_up(const ClusterUpOptions& options, std::ostream& out, std::ostream& err) {
  using Backend = network::NetworkOptions::Backend;
  const std::map<std::string, Backend> backends{
      {"auto", Backend::automatic}, {"kernel", Backend::kernel}, {"proxy", Backend::proxy}, {"loopback", Backend::loopback}};
  if (!backends.count(options.network) || options.coordinators < 1 || options.coordinators > 9 ||
      options.workers < 0 || options.workers > 16) {
    err << "error: cluster up takes 1..9 coordinators, 0..16 workers and --network auto|kernel|proxy|loopback\n";
    return 2;
  }
  std::error_code ec;
  if (std::filesystem::exists(options.dir, ec) && !std::filesystem::is_empty(options.dir, ec)) {
    err << "error: " << options.dir.string() << " is not empty; a cluster needs a fresh folder: remove it or pass "
        << "another --dir\n";
    return 2;
  }
  std::filesystem::create_directories(options.dir, ec);
  // The host's namespace, taken before the kernel backend moves this thread
  // into the run's hub: the forwards and the control API listen there.
  auto host = netns::Namespace::current("host");
  if (!host.ok()) {
    err << "error: " << host.error << "\n";
    return 3;
  }
  journal::JournalWriter journal(options.dir / "journal.jsonl", journal::monotonic_ns());
  const plan::Plan plan = cluster_plan(options);
  journal.write("run", Json{{"plan_name", plan.name}, {"seed", options.seed}, {"plan", plan::to_json(plan)}});
  ClusterSetup setup{options.dir / "members", options.binary, options.seed, backends.at(options.network), true};
  LiveCluster cluster(plan, setup, journal);
  std::string note;
  const auto failed = cluster.bring_up(note);
  if (!note.empty()) err << "note: " << note << "\n";
  if (failed) {
    err << "error: the cluster could not be brought up: " << *failed << "\n";
    cluster.stop_members();
    return 3;
  }
  targets::Target& target = cluster.target();
  Monitor monitor(target, journal, std::chrono::milliseconds(50));
  monitor.start();
  RunEnvironment environment(target, cluster.supervisor(), cluster.network(), journal, options.seed,
                             [] { return std::nullopt; });
  faults::FaultRegistry registry(environment);

  std::string error;
  HostForwards forwards;
  if (!forwards.open(host.ns, target, error)) {
    err << "error: cannot forward the members' APIs to the host's loopback: " << error << "\n";
    cluster.stop_members();
    return 3;
  }
  ControlQueue queue;
  http::Server control(4);
  control.post("/faults", [&](const http::Request& r) {
    return http::json_response(200, queue.post("inject", Json::parse(r.body, nullptr, false), kControlWait).dump());
  });
  control.get("/faults", [&](const http::Request&) {
    return http::json_response(200, queue.post("list", Json::object(), kControlWait).dump());
  });
  control.post("/faults/heal", [&](const http::Request& r) {
    return http::json_response(200, queue.post("heal", Json::parse(r.body, nullptr, false), kControlWait).dump());
  });
  bool started = false;
  netns::run_on_thread_in(host.ns, [&] { started = control.start(net::Endpoint{"127.0.0.1", 0}, error); });
  if (!started) {
    err << "error: cannot start the control API: " << error << "\n";
    cluster.stop_members();
    return 3;
  }
  const std::string control_url = "http://127.0.0.1:" + std::to_string(control.port());
  Json state{{"control", control_url}, {"network", cluster.network().backend()}, {"members", forwards.describe()}};
  targets::write_config(options.dir / "cluster.json", state, error);

  out << "cluster up: " << options.coordinators << " coordinators, " << options.workers << " workers ("
      << cluster.network().describe() << ")\n";
  for (const auto& m : forwards.describe()) {
    out << "  " << m["member"].get<std::string>() << "  " << m["host_url"].get<std::string>() << "  (its own address "
        << m["url"].get<std::string>() << ")\n";
  }
  out << "control: " << control_url << "  (faultline fault inject|list|heal --cluster " << options.dir.string()
      << ")\njournal: " << (options.dir / "journal.jsonl").string() << "\nCtrl-C stops everything.\n"
      << std::flush;

  std::map<std::size_t, std::chrono::steady_clock::time_point> heal_at;
  std::size_t next_index = 0;
  while (!process::termination_requested()) {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = heal_at.begin(); it != heal_at.end();) {
      if (now < it->second) {
        ++it;
        continue;
      }
      if (auto e = registry.heal(it->first, "timeline")) err << "error: " << *e << "\n";
      it = heal_at.erase(it);
    }
    if (auto e = registry.step_all()) err << "error: " << *e << "\n";
    auto command = queue.take();
    if (!command) {
      process::sleep_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(10));
      continue;
    }
    Json answer{{"success", true}};
    if (command->verb == "list") {
      answer["faults"] = registry.list_in_force();
    } else if (command->verb == "heal") {
      std::vector<std::string> errors;
      if (command->body.value("all", false)) {
        errors = registry.heal_all("by hand");
        heal_at.clear();
      } else if (command->body.contains("fault") && command->body["fault"].is_number_unsigned()) {
        const auto index = command->body["fault"].get<std::size_t>();
        if (!registry.in_force(index)) {
          errors.push_back("no fault " + std::to_string(index) + " is in force");
        } else if (auto e = registry.heal(index, "by hand")) {
          errors.push_back(*e);
        }
        heal_at.erase(index);
      } else {
        errors.push_back("say which fault to heal: {\"fault\": N} or {\"all\": true}");
      }
      if (!errors.empty()) answer = {{"success", false}, {"error", errors.front()}};
    } else {
      error.clear();
      const auto spec = command->body.is_object()
                            ? read_request(command->body, environment, error)
                            : std::nullopt;
      if (!spec) {
        answer = {{"success", false}, {"invalid", true}, {"error", error.empty() ? "the body is not a fault object" : error}};
      } else {
        faults::FaultRequest request;
        request.index = next_index++;
        request.spec = faults::find_kind(spec->kind);
        request.target = spec->target;
        request.params = spec->params;
        request.heal_after_ms = spec->heal_after_ms;
        if (auto e = registry.inject(request)) {
          answer = {{"success", false}, {"error", *e}};
        } else {
          answer["fault"] = registry.last_injection();
          if (spec->heal_after_ms) heal_at[request.index] = now + std::chrono::milliseconds(*spec->heal_after_ms);
        }
      }
    }
    command->answer.set_value(answer);
  }
  while (auto pending = queue.take()) {
    pending->answer.set_value({{"success", false}, {"error", "the cluster is stopping"}});
  }
  out << "stopping: healing " << registry.count_in_force() << " faults in force, then every member\n";
  for (const auto& e : registry.heal_all("interrupted")) err << "error: " << e << "\n";
  control.stop();
  monitor.stop();
  cluster.stop_members();
  journal.write("phase", Json{{"phase", "done"}});
  out << "stopped\n";
  return 0;
}

}  // namespace faultline::runner
