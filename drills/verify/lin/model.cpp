#include "drills/verify/lin/model.hpp"

#include <limits>
#include <map>

namespace faultline::lin {

namespace {

// Polynomial hash modulo 2^64, so that the hash of a concatenation follows
// from the hashes and lengths of its parts. It only filters: equal hashes are
// confirmed on the text.
constexpr std::uint64_t kBase = 0x100000001B3ull;

std::uint64_t pow_base(std::uint64_t e) {
  std::uint64_t result = 1;
  std::uint64_t b = kBase;
  while (e > 0) {
    if (e & 1) result *= b;
    b *= b;
    e >>= 1;
  }
  return result;
}

std::uint64_t hash_of(const std::string& s) {
  std::uint64_t h = 0;
  for (char c : s) h = h * kBase + static_cast<unsigned char>(c) + 1u;
  return h;
}

}  // namespace

StateTable::StateTable(Model model) : model_(model) {
  values_.emplace_back(std::nullopt);
  nodes_.push_back({kRoot, 0, kRoot, kRoot, 0, 0});
  if (model_ == Model::Kv) initial_ = intern(std::string());
}

std::uint32_t StateTable::intern(const Value& v) {
  if (!v) return model_ == Model::Kv ? initial_ : 0;
  // Values are interned before any append creates a node (split_by_key
  // encodes the whole key first), so value ids and node ids coincide.
  auto [it, added] = ids_.try_emplace(*v, static_cast<std::uint32_t>(values_.size()));
  if (added) {
    values_.emplace_back(*v);
    nodes_.push_back({kRoot, it->second, kRoot, kRoot, v->size(), hash_of(*v)});
  }
  return it->second;
}

std::uint32_t StateTable::append(std::uint32_t state, std::uint32_t suffix) {
  const Node& s = nodes_[state];
  if (s.length == 0) return suffix == 0 ? initial_ : suffix;
  const Node& x = nodes_[suffix];
  if (x.length == 0) return state;
  for (std::uint32_t c = s.first_child; c != kRoot; c = nodes_[c].next_sibling) {
    if (nodes_[c].suffix == suffix) return c;
  }
  const auto id = static_cast<std::uint32_t>(nodes_.size());
  const Node child{state, suffix, kRoot, s.first_child, s.length + x.length, s.hash * pow_base(x.length) + x.hash};
  nodes_.push_back(child);
  nodes_[state].first_child = id;
  return id;
}

bool StateTable::equals_slow(std::uint32_t state, std::uint32_t value) {
  const Node& v = nodes_[value];
  const Node& s = nodes_[state];
  if (s.length != v.length || s.hash != v.hash || value == 0) return false;
  const std::uint64_t key = (static_cast<std::uint64_t>(state) << 32) | value;
  if (const std::uint32_t* hit = equal_cache_.find(key)) return *hit != 0;
  // Equal hashes: confirm the text, from the end, one appended part at a time.
  const std::string& want = *values_[value];
  std::size_t end = want.size();
  bool same = true;
  for (std::uint32_t n = state; same && n != kRoot; n = nodes_[n].parent) {
    const Value& stored = values_[nodes_[n].suffix];
    if (!stored) continue;  // nil appends nothing
    const std::string& part = *stored;
    if (part.size() > end || want.compare(end - part.size(), part.size(), part) != 0) same = false;
    end -= same ? part.size() : 0;
  }
  same = same && end == 0;
  equal_cache_.insert(key, same ? 1u : 0u);
  return same;
}

Value StateTable::text(std::uint32_t state) const {
  if (state == 0) return model_ == Model::Kv ? Value(std::string()) : Value();
  std::vector<std::uint32_t> parts;
  for (std::uint32_t n = state; n != kRoot; n = nodes_[n].parent) parts.push_back(nodes_[n].suffix);
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += values_[*it].value_or("");
  return out;
}

std::vector<KeyHistory> split_by_key(const History& history, Model model) {
  std::vector<KeyHistory> keys;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < history.ops.size(); ++i) {
    const Operation& op = history.ops[i];
    if (op.outcome == Outcome::Unknown && op.kind == OpKind::Read) continue;
    if (op.outcome == Outcome::Fail && op.kind != OpKind::Cas) continue;
    auto [it, added] = index.try_emplace(op.key, keys.size());
    if (added) {
      keys.emplace_back(model);
      keys.back().key = op.key;
    }
    KeyHistory& k = keys[it->second];
    CompiledOp c;
    c.kind = op.kind;
    c.outcome = op.outcome;
    if (op.kind == OpKind::Cas) {
      c.a = k.states.intern(op.expected);
      c.b = k.states.intern(op.value);
    } else {
      c.a = k.states.intern(op.value);
    }
    k.source.push_back(i);
    k.ops.push_back(c);
    k.call.push_back(op.invoke_time);
    k.ret.push_back(op.outcome == Outcome::Unknown ? std::numeric_limits<std::int64_t>::max()
                                                   : op.complete_time);
  }
  return keys;
}

}  // namespace faultline::lin
