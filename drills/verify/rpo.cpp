#include "drills/verify/rpo.hpp"

#include <algorithm>
#include <map>

namespace faultline::verify {
namespace {

// Why `w` is lost given what was read back for its key, or nullopt if the
// readback is explained by w or by a write that did not strictly precede it.
std::optional<std::string> loss_reason(const Op& w, const Readback* rb,
                                       const std::vector<const Op*>& puts_to_key) {
  if (rb == nullptr) return "key was not read back";
  if (!rb->found) return "key not found";
  if (rb->value == w.value) return std::nullopt;
  const Op* older = nullptr;
  bool written = false;
  for (const Op* v : puts_to_key) {
    if (v == &w || v->value != rb->value) continue;
    written = true;
    // v strictly precedes w in real time: w's value should have replaced it.
    if (v->complete_ns < w.invoke_ns) {
      if (older == nullptr) older = v;
    } else {
      return std::nullopt;  // a concurrent or later write won; w is not lost
    }
  }
  if (!written) return "read back value " + value_text(rb->value) + " that no client wrote";
  return "overwritten by older write op " + older->id;
}

}  // namespace

RpoResult measure_rpo(const History& h) {
  RpoResult r;
  for (const Op& op : h.ops) {
    if (op.is_put() && op.result == OpResult::ok) ++r.acknowledged;
  }
  if (h.readbacks.empty()) {
    r.detail = "no readback in the journal, so lost writes could not be checked";
    return r;
  }
  r.measured = true;

  // The last readback of a key is the cluster's final word on it.
  std::map<std::string, const Readback*> final_read;
  for (const Readback& rb : h.readbacks) final_read[rb.key] = &rb;
  std::map<std::string, std::vector<const Op*>> puts;
  for (const Op& op : h.ops) {
    if (op.is_put()) puts[op.key].push_back(&op);
  }

  for (const Op& w : h.ops) {
    if (!w.is_put() || w.result != OpResult::ok) continue;
    auto rb = final_read.find(w.key);
    const Readback* read = rb == final_read.end() ? nullptr : rb->second;
    if (read != nullptr) ++r.checked;
    if (auto reason = loss_reason(w, read, puts[w.key])) {
      r.lost.push_back({w.id, w.key, w.value, w.invoke_ns, w.complete_ns, *reason});
    }
  }
  std::stable_sort(r.lost.begin(), r.lost.end(),
                   [](const LostWrite& a, const LostWrite& b) { return a.complete_ns < b.complete_ns; });
  if (auto t_f = h.fault_ns()) {
    r.window_ms = r.lost.empty() ? 0.0 : static_cast<double>(*t_f - r.lost.front().complete_ns) / 1e6;
  }
  return r;
}

}  // namespace faultline::verify
