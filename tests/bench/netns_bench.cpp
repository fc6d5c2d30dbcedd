// netns_bench: how long the kernel side of a run takes — probe(), creating
// and destroying a fabric, applying and healing a partition, and measuring a
// reachability matrix (all connected, and all cut, which costs one timeout).
// Needs root. Prints medians and maxima over RUNS repetitions.
//   netns_bench [MEMBERS] [RUNS]      (defaults 5 and 20)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "chaos/netns/connect_probe.hpp"
#include "chaos/netns/fabric_policy.hpp"
#include "chaos/netns/probe.hpp"

using namespace faultline::netns;
using SteadyClock = std::chrono::steady_clock;

namespace {

double ms_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

void report(const char* what, std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  std::printf("%-34s median %8.2f ms   max %8.2f ms   (n=%zu)\n", what, samples[samples.size() / 2],
              samples.back(), samples.size());
}

// A listener on the member's address; the kernel completes handshakes from
// its backlog, so the probes need no accept loop.
int listen_in(const Namespace& ns, const std::string& address) {
  int fd = -1;
  run_on_thread_in(ns, [&] {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    ::inet_pton(AF_INET, address.c_str(), &a.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 4096) != 0) {
      ::close(fd);
      fd = -1;
    }
  });
  return fd;
}

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "netns_bench: %s\n", why.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t members = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 5;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 20;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < members; ++i) ids.push_back("m" + std::to_string(i + 1));

  std::vector<double> probe_ms, create_ms, destroy_ms, apply_ms, heal_ms, full_ms, cut_ms;
  const auto probe_timeout = std::chrono::milliseconds(200);
  for (int run = 0; run < runs; ++run) {
    auto start = SteadyClock::now();
    const auto probed = probe();
    probe_ms.push_back(ms_since(start));
    if (!probed.available) fail(probed.reason);

    start = SteadyClock::now();
    auto created = Fabric::create({ids});
    create_ms.push_back(ms_since(start));
    if (!created.ok()) fail(created.error);
    const Fabric& fabric = *created.fabric;

    std::vector<int> listeners;
    std::vector<ProbeSource> froms;
    std::vector<Endpoint> targets;
    for (const auto& id : ids) {
      const int fd = listen_in(*fabric.member(id), fabric.member_address(id));
      if (fd < 0) fail("cannot listen in member " + id);
      sockaddr_in a{};
      socklen_t len = sizeof a;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
      listeners.push_back(fd);
      froms.push_back({fabric.member(id), ""});
      targets.push_back({fabric.member_address(id), ntohs(a.sin_port)});
    }

    auto full = reachability(froms, targets, probe_timeout);
    full_ms.push_back(static_cast<double>(full.elapsed.count()) / 1000.0);
    for (const auto& row : full.cells)
      for (const auto& cell : row)
        if (!cell.connected()) fail(std::string("full mesh cell ") + outcome_name(cell.outcome));

    start = SteadyClock::now();
    if (auto error = apply_policy(fabric, partition(ids, {}))) fail(*error);
    apply_ms.push_back(ms_since(start));
    const auto cut = reachability(froms, targets, probe_timeout);
    cut_ms.push_back(static_cast<double>(cut.elapsed.count()) / 1000.0);

    start = SteadyClock::now();
    if (auto error = apply_policy(fabric, FabricPolicy{})) fail(*error);
    heal_ms.push_back(ms_since(start));

    for (int fd : listeners) ::close(fd);
    start = SteadyClock::now();
    created.fabric.reset();
    destroy_ms.push_back(ms_since(start));
  }

  std::printf("%zu members, %d runs, probe timeout %lld ms\n", members, runs,
              static_cast<long long>(probe_timeout.count()));
  report("probe()", probe_ms);
  report("Fabric::create", create_ms);
  report("apply_policy (isolate all)", apply_ms);
  report("apply_policy (heal)", heal_ms);
  report("reachability, all connected", full_ms);
  report("reachability, all cut", cut_ms);
  report("destroy (close fds)", destroy_ms);
  return 0;
}
