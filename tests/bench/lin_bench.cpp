// Benchmark of the linearizability checker (not a ctest; run by
// scripts/bench-lin.sh on a Release build).
//
//   lin_bench [PEER_DATA_DIR]
//
// 1. every Jepsen etcd history of the peer data: total and slowest time;
// 2. the kv histories c50-ok and c50-bad, split by key;
// 3. a synthetic 100,000-operation kv history (20 clients, 100 keys) made by
//    simulating a real store under concurrent clients: time and peak memory.
// Times are wall clock and process CPU; each figure is the best of a few runs.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "drills/verify/lin/checker.hpp"
#include "drills/verify/lin/parse.hpp"

namespace fs = std::filesystem;
using namespace faultline::lin;

namespace {

struct Timing {
  double wall_ms = 0;
  double cpu_ms = 0;
};

double cpu_now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

template <typename F>
Timing timed(F&& f) {
  const auto w0 = std::chrono::steady_clock::now();
  const double c0 = cpu_now_ms();
  f();
  return {std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count(),
          cpu_now_ms() - c0};
}

// Parse + check, as `faultline check-history` does.
CheckResult check_file(const fs::path& file, Model model) {
  ParseResult parsed = load_history(file.string(), Format::Auto);
  if (!parsed.history) {
    std::fprintf(stderr, "%s\n", parsed.error.c_str());
    std::exit(2);
  }
  CheckOptions options;
  options.model = model;
  return check(*parsed.history, options);
}

// Simulated store: each client invokes an op on a random key, the op takes
// effect at a random instant inside its interval, and the client waits for
// the answer before its next op, so intervals of different clients overlap.
History synthetic_kv(std::size_t total_ops, int clients, int keys, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&rng](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  struct Pending {
    Operation op;
    std::int64_t effect;
  };
  std::vector<Pending> all;
  all.reserve(total_ops);
  std::vector<std::int64_t> clock(static_cast<std::size_t>(clients), 0);
  for (std::size_t i = 0; i < total_ops; ++i) {
    const auto c = static_cast<std::size_t>(i % static_cast<std::size_t>(clients));
    Operation op;
    op.process = std::to_string(c);
    op.key = std::to_string(uniform(0, keys - 1));
    const std::int64_t roll = uniform(0, 99);
    op.kind = roll < 50 ? OpKind::Read : roll < 60 ? OpKind::Write : OpKind::Append;
    if (op.kind != OpKind::Read) op.value = "c" + std::to_string(c) + "." + std::to_string(i) + ";";
    op.invoke_time = clock[c] + uniform(0, 20);
    const std::int64_t effect = op.invoke_time + uniform(1, 100);
    op.complete_time = effect + uniform(1, 100);
    op.invoke_line = op.complete_line = i + 1;
    clock[c] = op.complete_time;
    all.push_back({std::move(op), effect});
  }
  std::sort(all.begin(), all.end(), [](const Pending& a, const Pending& b) { return a.effect < b.effect; });
  std::vector<std::string> value(static_cast<std::size_t>(keys));
  History h;
  h.ops.reserve(all.size());
  for (Pending& p : all) {
    std::string& v = value[std::stoul(p.op.key)];
    switch (p.op.kind) {
      case OpKind::Read: p.op.value = v; break;
      case OpKind::Write: v = *p.op.value; break;
      case OpKind::Append: v += *p.op.value; break;
      case OpKind::Cas: break;
    }
    h.ops.push_back(std::move(p.op));
  }
  std::sort(h.ops.begin(), h.ops.end(),
            [](const Operation& a, const Operation& b) { return a.invoke_time < b.invoke_time; });
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path peer = argc > 1 ? fs::path(argv[1])
                                 : fs::path(FAULTLINE_SOURCE_DIR) / ".." / "shared" / "peer-data" / "porcupine";
  constexpr int kRuns = 5;

  std::vector<fs::path> etcd;
  if (fs::exists(peer / "jepsen")) {
    for (const auto& e : fs::directory_iterator(peer / "jepsen")) etcd.push_back(e.path());
  }
  std::sort(etcd.begin(), etcd.end());
  if (!etcd.empty()) {
    Timing best{1e18, 1e18};
    Timing slowest_best{1e18, 1e18};
    std::string slowest_name;
    for (int run = 0; run < kRuns; ++run) {
      Timing total;
      Timing slowest;
      std::string name;
      for (const fs::path& f : etcd) {
        const Timing t = timed([&] { check_file(f, Model::Register); });
        total.wall_ms += t.wall_ms;
        total.cpu_ms += t.cpu_ms;
        if (t.cpu_ms > slowest.cpu_ms) {
          slowest = t;
          name = f.filename().string();
        }
      }
      best.wall_ms = std::min(best.wall_ms, total.wall_ms);
      best.cpu_ms = std::min(best.cpu_ms, total.cpu_ms);
      if (slowest.cpu_ms < slowest_best.cpu_ms) {
        slowest_best = slowest;
        slowest_name = name;
      }
    }
    std::printf("etcd: %zu histories: total %.1f ms wall, %.1f ms cpu; slowest %s %.1f ms wall, %.1f ms cpu\n",
                etcd.size(), best.wall_ms, best.cpu_ms, slowest_name.c_str(), slowest_best.wall_ms,
                slowest_best.cpu_ms);
  } else {
    std::printf("etcd: peer data not found at %s\n", peer.string().c_str());
  }

  for (const char* name : {"c50-ok.txt", "c50-bad.txt"}) {
    const fs::path f = peer / "kv" / name;
    if (!fs::exists(f)) continue;
    Timing best{1e18, 1e18};
    CheckResult r;
    for (int run = 0; run < kRuns; ++run) {
      const Timing t = timed([&] { r = check_file(f, Model::Kv); });
      best.wall_ms = std::min(best.wall_ms, t.wall_ms);
      best.cpu_ms = std::min(best.cpu_ms, t.cpu_ms);
    }
    std::printf("%s split by key: %s, %zu keys, %zu ops, %zu states: %.1f ms wall, %.1f ms cpu\n", name,
                verdict_name(r.verdict), r.keys, r.ops, r.states, best.wall_ms, best.cpu_ms);
  }

  const History synthetic = synthetic_kv(100000, 20, 100, 42);
  CheckResult r;
  CheckOptions options;
  options.model = Model::Kv;
  const Timing t = timed([&] { r = check(synthetic, options); });
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("synthetic kv: %zu ops, %zu keys, 20 clients: %s, %zu states: %.1f ms wall, %.1f ms cpu; "
              "memo peak %.1f MiB; process peak RSS %.1f MiB\n",
              r.ops, r.keys, verdict_name(r.verdict), r.states, t.wall_ms, t.cpu_ms,
              static_cast<double>(r.peak_memo_bytes) / (1 << 20), static_cast<double>(usage.ru_maxrss) / 1024);
  if (r.verdict != Verdict::Ok) std::printf("  %s\n", r.reason.c_str());
  return r.verdict == Verdict::Ok ? 0 : 1;
}
