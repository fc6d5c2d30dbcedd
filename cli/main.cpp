// faultline: the one composition root. Each subcommand hands its parsed
// options to the layer that owns it; this file only parses and dispatches.
//
// Exit codes (docs/exit-codes.md): 0 objectives met / valid; 1 an objective
// missed; 2 invalid plan or usage (nothing was started); 3 the run could not
// be carried out; 4 the system was not healthy before any fault. A suite of
// plans exits with the worst of its plans' codes.
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "chaos/faults/spec.hpp"
#include "chaos/process/termination.hpp"
#include "cluster/coordinator/coordinator.hpp"
#include "cluster/mcp/builtin.hpp"
#include "cluster/node/node.hpp"
#include "cluster/sim/sim_cli.hpp"
#include "drills/plan/probes.hpp"
#include "drills/plan/schema.hpp"
#include "drills/runner/cluster_up.hpp"
#include "drills/runner/runner.hpp"
#include "drills/suite/library.hpp"
#include "drills/suite/suite_run.hpp"
#include "drills/verify/lin/check_history_cli.hpp"
#include "faultline/version.hpp"

namespace {

std::string self_executable(const char* argv0) {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : path.string();
}

// How `faultline run` talks: the process's terminal and environment are read
// here, once, and handed down as options (the runner never reads them).
faultline::runner::ConsoleOptions console_options(bool quiet, bool json) {
  using Mode = faultline::runner::ConsoleOptions::Mode;
  faultline::runner::ConsoleOptions options;
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  const char* term = std::getenv("TERM");
  const bool dumb = term != nullptr && std::string(term) == "dumb";
  // https://no-color.org: present and not empty means no colour.
  const char* no_color = std::getenv("NO_COLOR");
  const bool colour_refused = no_color != nullptr && no_color[0] != '\0';
  options.mode = json ? Mode::json : quiet ? Mode::quiet : terminal && !dumb ? Mode::live : Mode::plain;
  options.color = terminal && !dumb && !json && !colour_refused;
  winsize size{};
  if (terminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) options.width = size.ws_col;
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"faultline: chaos and disaster-recovery drills with measured RTO, RPO and safety"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("faultline ") + faultline::kVersion);

  faultline::runner::RunOptions run_options;
  run_options.binary = self_executable(argv[0]);
  std::string out_dir;
  std::uint64_t seed = 0;
  std::vector<std::filesystem::path> run_files;
  auto* run = app.add_subcommand("run", "Run drill plans (or suite files), one after another");
  run->add_option("plan", run_files, "Drill plans and suite files (JSON)")->required();
  // One value per --set, so that plans may follow it on the command line.
  run->add_option("--set", run_options.overrides,
                  "Override a plan field before validation, e.g. objectives.rto_ms=1 (every plan)")
      ->allow_extra_args(false);
  run->add_option("--out", out_dir,
                  "Run folder (default runs/<plan>-<UTC time>); with several plans, the suite's folder");
  auto* seed_option = run->add_option("--seed", seed, "Seed for every random choice of the run");
  run->add_option("--network", run_options.network,
                  "Network backend: auto (namespaces when possible), kernel, proxy or loopback")
      ->check(CLI::IsMember({"auto", "kernel", "proxy", "loopback"}))
      ->capture_default_str();
  run->add_option("--trials", run_options.trials,
                  "Run the plan N times with seeds derived from its seed; judge the distribution")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  run->add_option("--jobs,-j", run_options.jobs,
                  "Run a suite's plans N at a time, each in a process of its own (its own namespaces, "
                  "members and run folder)")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  bool run_quiet = false;
  bool run_json = false;
  auto* quiet_flag = run->add_flag("--quiet,-q", run_quiet, "Print only the verdict line");
  run->add_flag("--json", run_json, "Print the verdict and every measure as one JSON object, nothing else")
      ->excludes(quiet_flag);

  std::vector<std::filesystem::path> validate_files;
  std::vector<std::string> validate_overrides;
  auto* validate = app.add_subcommand("validate", "Check drill plans (and suite files) without running them");
  validate->add_option("plan", validate_files, "Drill plans and suite files (JSON)")->required();
  validate->add_option("--set", validate_overrides, "Override a plan field, as for run")->allow_extra_args(false);

  bool list_json = false;
  std::filesystem::path list_library;
  auto* list = app.add_subcommand("list", "List the bundled drills (drills/library), one line each");
  list->add_flag("--json", list_json, "One JSON object: the library's folder and every drill");
  list->add_option("--library", list_library, "The library's folder (default: found beside the binary)");

  auto* plan_command = app.add_subcommand("plan", "The drill plan format");
  plan_command->require_subcommand(1);
  auto* plan_schema = plan_command->add_subcommand("schema", "Print the plans' JSON Schema (docs/plan.schema.json)");

  std::filesystem::path journal_file;
  auto* report = app.add_subcommand("report", "Re-check a run's journal and re-render its reports");
  report->add_option("journal", journal_file, "journal.jsonl of a run")->required();

  std::string config_file;
  auto* coordinator =
      app.add_subcommand("coordinator", "Run one coordinator of the reference cluster");
  coordinator->add_option("--config", config_file, "mcp_settings.json with systemConfig.cluster.mode \"coordinator\"")
      ->required();

  std::string node_config_file;
  auto* node = app.add_subcommand("node", "Run one node of the reference cluster (hosts MCP servers)");
  node->alias("worker");  // the name nodes had before they hosted MCP servers
  node->add_option("--config", node_config_file, "mcp_settings.json with systemConfig.cluster.mode \"node\"")
      ->required();

  std::string builtin_server;
  auto* mcp_server = app.add_subcommand("mcp-server", "Serve a built-in MCP test server on stdio");
  mcp_server->add_option("name", builtin_server, "echo, counter, kv or sleep")
      ->required()
      ->check(CLI::IsMember({"echo", "counter", "kv", "sleep"}));

  bool kinds_markdown = false;
  auto* fault = app.add_subcommand("fault", "The fault catalogue");
  fault->require_subcommand(1);
  auto* fault_kinds = fault->add_subcommand("kinds", "List every fault kind with its parameters");
  fault_kinds->add_flag("--markdown", kinds_markdown, "The tables of docs/faults.md");
  bool probes_markdown = false;
  auto* probe = app.add_subcommand("probe", "The steady-state probe kinds");
  probe->require_subcommand(1);
  auto* probe_kinds = probe->add_subcommand("kinds", "List every probe kind with its fields");
  probe_kinds->add_flag("--markdown", probes_markdown, "The tables of docs/plan.md");

  faultline::runner::FaultCommandOptions fault_options;
  std::string fault_dir = "runs/cluster";
  std::int64_t heal_after_ms = 0;
  std::int64_t heal_id = 0;
  auto* fault_inject = fault->add_subcommand("inject", "Inject a fault into a running `cluster up`");
  fault_inject->add_option("kind", fault_options.kind, "Fault kind (faultline fault kinds)")->required();
  fault_inject->add_option("--target", fault_options.target, "Target selector: leader, follower, c2, ...");
  fault_inject->add_option("--param", fault_options.params, "A parameter of the kind, NAME=VALUE (repeat)");
  auto* heal_after_option = fault_inject->add_option("--heal-after-ms", heal_after_ms, "Heal it this long after");
  auto* fault_list = fault->add_subcommand("list", "List the faults in force in a running `cluster up`");
  auto* fault_heal = fault->add_subcommand("heal", "Heal one fault (by id) or --all in a running `cluster up`");
  auto* heal_id_option = fault_heal->add_option("id", heal_id, "The fault's id, as inject and list print it");
  fault_heal->add_flag("--all", fault_options.all, "Heal every fault in force");
  for (auto* sub : {fault_inject, fault_list, fault_heal}) {
    sub->add_option("--cluster", fault_dir, "The folder of the running `cluster up`")->capture_default_str();
  }

  faultline::runner::ClusterUpOptions up_options;
  up_options.binary = run_options.binary;
  auto* cluster = app.add_subcommand("cluster", "Run the embedded cluster by hand");
  cluster->require_subcommand(1);
  auto* cluster_up = cluster->add_subcommand("up", "Run the embedded cluster in the foreground until Ctrl-C");
  cluster_up->add_option("--coordinators", up_options.coordinators, "Coordinators (1..9)")->capture_default_str();
  cluster_up->add_option("--workers", up_options.workers, "Worker nodes (0..16)")->capture_default_str();
  cluster_up->add_option("--dir", up_options.dir, "Its folder (must be empty)")->capture_default_str();
  cluster_up->add_option("--network", up_options.network, "auto, kernel, proxy or loopback")->capture_default_str();
  cluster_up->add_option("--seed", up_options.seed, "Seed of its random choices")->capture_default_str();

  std::string history_file;
  std::string model = "kv";
  std::string format = "auto";
  double time_budget_s = 60;
  std::size_t memory_budget_mb = 1024;
  auto* check_history = app.add_subcommand(
      "check-history", "Check a recorded history for linearizability (Jepsen log, EDN, or journal)");
  check_history->add_option("history", history_file, "History file")->required();
  check_history->add_option("--model", model, "register or kv")
      ->check(CLI::IsMember({"register", "kv"}))
      ->capture_default_str();
  check_history->add_option("--format", format, "auto, jepsen-log, edn or journal")
      ->check(CLI::IsMember({"auto", "jepsen-log", "edn", "journal"}))
      ->capture_default_str();
  check_history->add_option("--time-budget", time_budget_s, "Seconds before answering unknown")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  check_history->add_option("--memory-budget", memory_budget_mb, "MiB of search memory before answering unknown")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  faultline::sim::SimCommandOptions sim_options;
  bool no_shrink = false;
  auto* sim = app.add_subcommand(
      "sim", "Run the Raft core in the deterministic simulator under random fault schedules");
  sim->add_option("--seeds", sim_options.seeds, "Number of seeds to run")->capture_default_str();
  sim->add_option("--seed", sim_options.first_seed, "First seed")->capture_default_str();
  sim->add_option("--members", sim_options.members, "Cluster size")
      ->check(CLI::Range(1, 9))
      ->capture_default_str();
  sim->add_option("--seconds", sim_options.seconds, "Simulated seconds per seed")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  sim->add_option("--schedule", sim_options.schedule_file, "Replay one schedule file");
  sim->add_option("--bug", sim_options.planted_bug,
                  "Plant a known Raft bug (tests the checks): none, vote_without_log_check, "
                  "commit_previous_term_by_counting")
      ->capture_default_str();
  sim->add_option("--ops", sim_options.client_ops_per_second, "Client operations per simulated second")
      ->capture_default_str();
  sim->add_option("--out", sim_options.out_dir, "Where shrunk failing schedules are written")
      ->capture_default_str();
  sim->add_flag("--no-shrink", no_shrink, "Do not shrink failing schedules");
  sim->add_flag("--paper-table", sim_options.paper_table,
                "Rerun the Raft paper's election experiment (section 9.3, Figure 16)");
  sim->add_option("--time-scale", sim_options.time_scale,
                  "Paper table: simulator ticks per paper ms (1..1000)")
      ->capture_default_str();
  sim->add_option("--paper-delay", sim_options.paper_delay,
                  "Paper table: one-way network delay MIN-MAX in ms")
      ->capture_default_str();
  sim->add_option("--trials", sim_options.trials, "Trials per line of the paper table")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (*run) {
    run_options.plan_file = run_files.front();
    if (!out_dir.empty()) run_options.out_dir = out_dir;
    if (*seed_option) run_options.seed = seed;
    run_options.console = console_options(run_quiet, run_json);
    // Signal dispositions belong to the process, so the composition root
    // sets them: Ctrl-C or SIGTERM becomes a request the runner polls, and it
    // stops every member before it exits (runner.hpp).
    if (const std::string error = faultline::process::install_termination_handlers(); !error.empty()) {
      std::cerr << "error: the run could not be carried out: cannot install the SIGINT/SIGTERM handlers: "
                << error << "; nothing was started\n";
      return 3;
    }
    if (faultline::suite::is_suite_run(run_files)) {
      return faultline::suite::run_suite(run_options, run_files, std::cout, std::cerr);
    }
    return faultline::runner::run_drill(run_options, std::cout, std::cerr);
  }
  if (*validate) {
    if (faultline::suite::is_suite_run(validate_files)) {
      return faultline::suite::validate_all(validate_files, validate_overrides, std::cout, std::cerr);
    }
    return faultline::runner::validate_plan(validate_files.front(), validate_overrides, std::cout, std::cerr);
  }
  if (*list) {
    faultline::suite::LibrarySearch search;
    if (!list_library.empty()) search.given = list_library;
    if (const char* env = std::getenv("FAULTLINE_LIBRARY"); env != nullptr) search.environment = env;
    search.binary = run_options.binary;
    std::error_code ec;
    search.current = std::filesystem::current_path(ec);
    return faultline::suite::list_library(search, list_json, std::cout, std::cerr);
  }
  if (*plan_schema) {
    std::cout << faultline::plan::plan_schema_text();
    return 0;
  }
  if (*cluster_up) {
    if (auto problem = faultline::process::install_termination_handlers(); !problem.empty()) {
      std::cerr << "error: " << problem << "\n";
      return 3;
    }
    return faultline::runner::cluster_up(up_options, std::cout, std::cerr);
  }
  for (auto* sub : {fault_inject, fault_list, fault_heal}) {
    if (!*sub) continue;
    fault_options.verb = sub == fault_inject ? "inject" : sub == fault_list ? "list" : "heal";
    fault_options.dir = fault_dir;
    if (*heal_after_option) fault_options.heal_after_ms = heal_after_ms;
    if (*heal_id_option) fault_options.fault = heal_id;
    return faultline::runner::fault_command(fault_options, std::cout, std::cerr);
  }
  if (*probe_kinds) {
    if (probes_markdown) {
      std::cout << faultline::plan::probe_kinds_markdown();
    } else {
      for (const auto& k : faultline::plan::probe_kinds()) std::cout << k.name << ": " << k.summary << "\n";
    }
    return 0;
  }
  if (*fault_kinds) {
    if (kinds_markdown) {
      std::cout << faultline::faults::catalogue_markdown();
    } else {
      for (const auto& k : faultline::faults::catalogue()) {
        std::cout << k.name << " (" << faultline::faults::effect_name(k.effect) << "): " << k.summary << "\n";
      }
    }
    return 0;
  }
  if (*report) return faultline::runner::report_journal(journal_file, std::cout, std::cerr);
  if (*check_history) {
    return faultline::lin::run_check_history(history_file, model, format, time_budget_s,
                                             memory_budget_mb, std::cout);
  }
  if (*sim) {
    sim_options.shrink = !no_shrink;
    return faultline::sim::run_sim_command(sim_options, std::cout);
  }
  if (*coordinator) return faultline::coordinator::run_coordinator(config_file);
  if (*node) return faultline::node::run_node(node_config_file);
  if (*mcp_server) return faultline::mcp::run_builtin_server(builtin_server, std::cin, std::cout, std::cerr);
  return 2;
}
