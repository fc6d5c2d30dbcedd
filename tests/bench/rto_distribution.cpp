// The distribution of recovery times over many runs of one drill: reads the
// journals given, measures each run's RTO and its parts with the same
// checker the verdict uses (drills/verify/rto.hpp), and prints min, p50,
// p90 and max of each (nearest rank), with the runs that did not recover.
// scripts/bench-etcd-vs-embedded.sh runs it once per target kind.
//
//   rto_distribution LABEL JOURNAL...
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "drills/journal/journal.hpp"
#include "drills/verify/history.hpp"
#include "drills/verify/rto.hpp"

namespace {

// Nearest rank: the smallest value with at least p of the values at or below it.
double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: rto_distribution LABEL JOURNAL...\n");
    return 2;
  }
  const std::string label = argv[1];
  const std::vector<std::string> measures{"rto", "detect", "new leader", "first ack"};
  std::map<std::string, std::vector<double>> values;
  int unrecovered = 0;
  for (int i = 2; i < argc; ++i) {
    const auto read = faultline::journal::read_journal(argv[i]);
    const auto history = faultline::verify::history_from(read.events);
    const auto rto = faultline::verify::measure_rto(history);
    if (!rto.rto_ms) {
      ++unrecovered;
      std::fprintf(stderr, "%s: %s: no RTO (%s)\n", label.c_str(), argv[i], rto.detail.c_str());
      continue;
    }
    const std::vector<std::optional<double>> got{rto.rto_ms, rto.parts.detect_ms, rto.parts.new_leader_ms,
                                                 rto.parts.first_ack_ms};
    for (std::size_t m = 0; m < measures.size(); ++m) {
      if (got[m]) values[measures[m]].push_back(*got[m]);
    }
  }
  std::printf("%s: %d runs, %d without recovery\n", label.c_str(), argc - 2, unrecovered);
  std::printf("  %-11s %5s %8s %8s %8s %8s\n", "ms", "runs", "min", "p50", "p90", "max");
  for (const std::string& m : measures) {
    const auto& v = values[m];
    if (v.empty()) {
      std::printf("  %-11s %5d %8s %8s %8s %8s\n", m.c_str(), 0, "-", "-", "-", "-");
      continue;
    }
    std::printf("  %-11s %5zu %8.0f %8.0f %8.0f %8.0f\n", m.c_str(), v.size(), *std::min_element(v.begin(), v.end()),
                percentile(v, 0.5), percentile(v, 0.9), *std::max_element(v.begin(), v.end()));
  }
  return 0;
}
