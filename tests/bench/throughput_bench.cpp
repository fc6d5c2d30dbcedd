// Throughput of a cluster with nothing injected, driven by the drill
// workload's own clients (Target::make_client: the same client, the same
// operation timeout and the same rule for moving to another member, whatever
// the target kind), every client starting on the leader.
//
//   throughput_bench PLAN --faultline BIN [--set PATH=VALUE]... [--connections 20,64]
//                    [--seconds 8] [--warmup 1] [--value-bytes 64] [--mcp] [--out DIR]
//
// The plan gives the topology only (its workload and faults are ignored);
// the cluster runs on the host's loopback (no namespaces, no proxies), as a
// third-party cluster is benchmarked. For each concurrency C it runs C
// threads, each with its own client and kept-alive connections, for
// --seconds after --warmup, and prints one line:
//   puts   C=20  8.0 s  36402 ok  4550.2/s  p50 4.31 ms  p99 9.80 ms  0 not ok
// Puts write one fresh key each (nothing is overwritten, nothing compacts),
// `value-bytes` of value, and count only acknowledged writes (200: committed
// in sync mode; etcd's OK after its Raft commit and WAL fsync). --mcp also
// runs MCP tool calls (tools/call `increment` of the built-in counter
// server, one MCP session per thread, through a coordinator to a node and
// its stdio server). Latency is from the call to its answer, per operation,
// over the measured seconds only. Exit 0, 2 bad arguments or plan, 3 the
// cluster could not be brought up.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "drills/journal/journal.hpp"
#include "drills/plan/plan.hpp"
#include "drills/runner/live_cluster.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace faultline;

struct Options {
  std::string plan;
  std::string binary;
  std::vector<std::string> overrides;
  std::vector<int> connections{20, 64};
  double seconds = 8;
  double warmup = 1;
  std::size_t value_bytes = 64;
  bool mcp = false;
  std::filesystem::path out;
};

struct Series {
  std::size_t ok = 0;
  std::size_t not_ok = 0;
  std::vector<double> latency_ms;  // of the ok ones
};

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto at = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(at, sorted.size() - 1)];
}

// Runs `threads` clients for warmup + seconds; `op(client, thread, i)`
// carries out one operation and says whether it was acknowledged.
template <typename Op>
Series drive(targets::Target& target, std::size_t leader_at, int threads, const Options& o, Op op) {
  std::vector<Series> per(static_cast<std::size_t>(threads));
  const auto start = Clock::now();
  const auto measured_from = start + std::chrono::duration<double>(o.warmup);
  const auto end = measured_from + std::chrono::duration<double>(o.seconds);
  const std::size_t voters = target.voters().size();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      // Index ≡ the leader's position modulo the voters: every client starts there.
      auto client = target.make_client(leader_at + static_cast<std::size_t>(t) * voters, "");
      Series& mine = per[static_cast<std::size_t>(t)];
      for (std::size_t i = 0;; ++i) {
        const auto began = Clock::now();
        if (began >= end) break;
        const bool ok = op(*client, t, i, began + std::chrono::seconds(2));
        const auto done = Clock::now();
        if (began < measured_from || done > end) continue;
        if (!ok) {
          ++mine.not_ok;
          continue;
        }
        ++mine.ok;
        mine.latency_ms.push_back(std::chrono::duration<double, std::milli>(done - began).count());
      }
    });
  }
  for (auto& thread : pool) thread.join();
  Series all;
  for (auto& s : per) {
    all.ok += s.ok;
    all.not_ok += s.not_ok;
    all.latency_ms.insert(all.latency_ms.end(), s.latency_ms.begin(), s.latency_ms.end());
  }
  std::sort(all.latency_ms.begin(), all.latency_ms.end());
  return all;
}

void print(const char* what, int threads, const Options& o, Series& s) {
  std::printf("%-6s C=%-3d %.1f s  %zu ok  %.1f/s  p50 %.2f ms  p99 %.2f ms  %zu not ok\n", what, threads, o.seconds,
              s.ok, static_cast<double>(s.ok) / o.seconds, percentile(s.latency_ms, 0.50),
              percentile(s.latency_ms, 0.99), s.not_ok);
  std::fflush(stdout);
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--faultline") {
      o.binary = value();
    } else if (a == "--set") {
      o.overrides.push_back(value());
    } else if (a == "--connections") {
      o.connections.clear();
      const std::string list = value();
      for (std::size_t at = 0; at < list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        o.connections.push_back(std::atoi(list.substr(at, comma - at).c_str()));
        at = comma + 1;
      }
    } else if (a == "--seconds") {
      o.seconds = std::atof(value().c_str());
    } else if (a == "--warmup") {
      o.warmup = std::atof(value().c_str());
    } else if (a == "--value-bytes") {
      o.value_bytes = static_cast<std::size_t>(std::atol(value().c_str()));
    } else if (a == "--mcp") {
      o.mcp = true;
    } else if (a == "--out") {
      o.out = value();
    } else if (o.plan.empty() && a.rfind("--", 0) != 0) {
      o.plan = a;
    } else {
      std::cerr << "unknown argument: " << a << "\n";
      return false;
    }
  }
  const bool counts_ok = !o.connections.empty() &&
                         std::all_of(o.connections.begin(), o.connections.end(), [](int c) { return c > 0 && c <= 512; });
  if (o.plan.empty() || o.binary.empty() || !counts_ok || o.seconds <= 0 || o.warmup < 0) {
    std::cerr << "usage: throughput_bench PLAN --faultline BIN [--set PATH=VALUE]... [--connections 20,64] "
                 "[--seconds 8] [--warmup 1] [--value-bytes 64] [--mcp] [--out DIR]\n";
    return false;
  }
  if (o.out.empty()) o.out = std::filesystem::temp_directory_path() / ("throughput-" + std::to_string(::getpid()));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return 2;
  auto loaded = plan::load_plan(o.plan, o.overrides);
  if (!loaded.plan) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    return 2;
  }
  const plan::Plan& plan = *loaded.plan;
  std::filesystem::create_directories(o.out);
  journal::JournalWriter journal(o.out / "journal.jsonl", journal::monotonic_ns());
  runner::ClusterSetup setup{o.out / "members", o.binary, plan.seed.value_or(1),
                             network::NetworkOptions::Backend::loopback, false};
  runner::LiveCluster cluster(plan, setup, journal);
  std::string note;
  if (const auto failed = cluster.bring_up(note)) {
    std::cerr << "the cluster could not be brought up: " << *failed << "\n";
    cluster.stop_members();
    return 3;
  }
  targets::Target& target = cluster.target();
  const auto leader = target.wait_for_leader(Clock::now() + std::chrono::seconds(10));
  const auto voters = target.voters();
  std::size_t leader_at = 0;
  while (leader && leader_at < voters.size() && voters[leader_at]->id != *leader) ++leader_at;
  if (!leader || leader_at == voters.size()) {
    std::cerr << "no leader within 10 s\n";
    cluster.stop_members();
    return 3;
  }
  std::printf("%s, %zu voters, leader %s; %.1f s measured after %.1f s of warm-up; values of %zu bytes\n",
              target.kind().c_str(), voters.size(), leader->c_str(), o.seconds, o.warmup, o.value_bytes);
  const std::string value(o.value_bytes, 'v');
  for (int c : o.connections) {
    Series puts = drive(target, leader_at, c, o, [&](targets::KvClient& client, int t, std::size_t i, auto deadline) {
      const std::string key = "bench-" + std::to_string(c) + "-" + std::to_string(t) + "-" + std::to_string(i);
      return client.put(key, value, deadline).result == "ok";
    });
    print("puts", c, o, puts);
    if (!o.mcp) continue;
    Series calls = drive(target, leader_at, c, o, [&](targets::KvClient& client, int t, std::size_t i, auto deadline) {
      return client.call("s" + std::to_string(t), std::to_string(i), deadline).result == "ok";
    });
    print("calls", c, o, calls);
  }
  cluster.stop_members();
  return 0;
}
