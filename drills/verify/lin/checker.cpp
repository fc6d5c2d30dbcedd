#include "drills/verify/lin/checker.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <limits>
#include <thread>

#include "drills/verify/lin/evidence.hpp"

namespace faultline::lin {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Ok: return "ok";
    case Verdict::Violation: return "violation";
    case Verdict::Unknown: return "unknown";
  }
  return "?";
}

const char* model_name(Model m) { return m == Model::Register ? "register" : "kv"; }

namespace {

constexpr std::size_t kNoKey = std::numeric_limits<std::size_t>::max();
// A key's first turn is short so that a quick violation elsewhere is found
// early; each later turn doubles, up to about a millisecond of search.
constexpr std::uint64_t kFirstSliceSteps = 1u << 12;
constexpr std::uint64_t kMaxSliceSteps = 1u << 17;

std::string quoted_key(const std::string& key) { return key.empty() ? "(single register)" : format_value(key); }

}  // namespace

CheckResult check(const History& history, const CheckOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  CheckResult result;
  result.model = options.model;
  std::vector<KeyHistory> keys = split_by_key(history, options.model);
  result.keys = keys.size();
  for (const KeyHistory& k : keys) result.ops += k.ops.size();

  const double budget_s = std::clamp(options.time_budget_s, 0.0, 1e7);
  const auto deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(budget_s));
  MemoryBudget memory(options.memory_budget_bytes);
  std::vector<KeyOutcome> outcomes(keys.size());
  std::vector<std::unique_ptr<KeySearch>> searches(keys.size());
  std::vector<std::uint64_t> slice(keys.size(), kFirstSliceSteps);
  // Keys take turns in slices, so one slow key cannot hide a violation that
  // another key shows quickly; the first violation found ends the check.
  std::mutex mu;
  std::deque<std::size_t> queue;  // guarded by mu
  for (std::size_t i = 0; i < keys.size(); ++i) queue.push_back(i);
  std::atomic<std::size_t> violation{kNoKey};

  auto worker = [&] {
    while (violation.load() == kNoKey) {
      std::size_t i = 0;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (queue.empty()) return;
        i = queue.front();
        queue.pop_front();
      }
      if (!searches[i]) searches[i] = std::make_unique<KeySearch>(keys[i], memory, deadline);
      std::optional<KeyOutcome> done = searches[i]->run(slice[i]);
      slice[i] = std::min(slice[i] * 2, kMaxSliceSteps);
      if (!done) {
        std::lock_guard<std::mutex> lock(mu);
        queue.push_back(i);
        continue;
      }
      searches[i].reset();  // frees its memo for the keys still running
      outcomes[i] = std::move(*done);
      if (outcomes[i].verdict == Verdict::Violation) {
        std::size_t none = kNoKey;
        violation.compare_exchange_strong(none, i);
      }
    }
  };
  const unsigned threads =
      static_cast<unsigned>(std::clamp<std::size_t>(keys.size(), 1, std::max(1u, options.threads)));
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  searches.clear();

  for (const KeyOutcome& o : outcomes) result.states += o.states;
  result.peak_memo_bytes = memory.peak();
  const std::size_t bad = violation.load();
  if (bad < keys.size()) {
    result.verdict = Verdict::Violation;
    result.evidence = build_evidence(keys[bad], outcomes[bad]);
  } else {
    result.verdict = Verdict::Ok;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (outcomes[i].verdict != Verdict::Unknown) continue;
      result.verdict = Verdict::Unknown;
      result.reason = "key " + quoted_key(keys[i].key) + ": " + outcomes[i].reason;
      break;
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace faultline::lin
