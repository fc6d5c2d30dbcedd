// Our own journal: `op.invoke` / `op.complete` events (docs/journal.md).
#include <algorithm>
#include <variant>

#include "drills/journal/journal.hpp"
#include "drills/verify/lin/history_builder.hpp"
#include "drills/verify/lin/parse.hpp"

namespace faultline::lin {

namespace {

using journal::Json;

// One operation event, already converted: nothing of a line's JSON is kept,
// so a 100,000-operation journal does not hold 200,000 trees in memory.
struct Event {
  std::variant<Invocation, Completion> op;
  std::int64_t t_ns = 0;
};

// The fields of an operation event, as text (numbers as written).
struct RawOp {
  std::string kind;
  std::optional<std::int64_t> t_ns;
  std::optional<std::string> op, client, f, key, result;
  Value value;          // null or absent: nullopt
};

// Fast path for the lines our own journal writer produces: one flat object
// whose values are strings without escapes, integers or null. Anything else
// (an escape, a nested value, a float) returns false and the line goes
// through the full JSON parser instead, so the result is the same either way.
bool scan_flat(std::string_view text, RawOp& out) {
  std::size_t i = 0;
  auto skip_ws = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
  };
  auto read_string = [&](std::string_view& s) {
    if (i >= text.size() || text[i] != '"') return false;
    const std::size_t close = text.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    s = text.substr(i + 1, close - i - 1);
    if (s.find('\\') != std::string_view::npos) return false;
    i = close + 1;
    return true;
  };
  skip_ws();
  if (i >= text.size() || text[i] != '{') return false;
  ++i;
  while (true) {
    skip_ws();
    std::string_view name;
    if (!read_string(name)) return false;
    skip_ws();
    if (i >= text.size() || text[i] != ':') return false;
    ++i;
    skip_ws();
    if (i >= text.size()) return false;
    std::optional<std::string_view> string_value;
    std::string_view number;
    bool is_null = false;
    if (text[i] == '"') {
      std::string_view v;
      if (!read_string(v)) return false;
      string_value = v;
    } else if (text.compare(i, 4, "null") == 0) {
      is_null = true;
      i += 4;
    } else {
      const std::size_t begin = i;
      if (text[i] == '-') ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
      number = text.substr(begin, i - begin);
      if (number.empty() || number == "-") return false;
    }
    // Built only for the fields kept: most of a line's fields are skipped.
    auto as_text = [&] { return string_value ? std::string(*string_value) : std::string(number); };
    if (name == "kind") {
      if (!string_value) return false;
      out.kind = as_text();
    } else if (name == "t_ns") {
      if (string_value || is_null) return false;
      try {
        out.t_ns = std::stoll(as_text());
      } catch (const std::exception&) {
        return false;
      }
    } else if (name == "op") {
      if (is_null) return false;
      out.op = as_text();
    } else if (name == "client") {
      if (!is_null) out.client = as_text();
    } else if (name == "f") {
      if (string_value) out.f = as_text();
    } else if (name == "key") {
      if (!is_null) out.key = as_text();
    } else if (name == "result") {
      if (string_value) out.result = as_text();
    } else if (name == "value") {
      if (!is_null) out.value = as_text();
    }
    skip_ws();
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    if (i < text.size() && text[i] == '}') {
      ++i;
      skip_ws();
      return i == text.size();
    }
    return false;
  }
}

std::string text_of(const Json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

// The slow path: any JSON the full parser accepts.
bool from_json(const std::string& text, RawOp& out) {
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return false;
  auto str = [&](const char* name) -> std::optional<std::string> {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return text_of(*it);
  };
  auto kind = j.find("kind");
  if (kind == j.end() || !kind->is_string()) return false;
  out.kind = kind->get<std::string>();
  if (auto t = j.find("t_ns"); t != j.end() && t->is_number_integer()) out.t_ns = t->get<std::int64_t>();
  out.op = str("op");
  out.client = str("client");
  if (auto f = j.find("f"); f != j.end() && f->is_string()) out.f = f->get<std::string>();
  out.key = str("key");
  if (auto r = j.find("result"); r != j.end() && r->is_string()) out.result = r->get<std::string>();
  if (auto v = j.find("value"); v != j.end()) {
    if (!v->is_null()) out.value = text_of(*v);
  }
  return true;
}

// Converts one op.invoke / op.complete event; the error names what is wrong.
std::optional<std::string> convert(RawOp&& raw, std::size_t line, Event& out) {
  const std::int64_t t_ns = *raw.t_ns;
  out.t_ns = t_ns;
  if (!raw.op) return std::string("missing field 'op'");
  std::string id = "op " + *raw.op;
  if (raw.kind == "op.invoke") {
    Invocation inv;
    inv.pair_id = std::move(id);
    inv.process = raw.client ? std::move(*raw.client) : "?";
    if (!raw.f) return std::string("missing field 'f'");
    if (*raw.f == "put") {
      inv.kind = OpKind::Write;
    } else if (*raw.f == "get") {
      inv.kind = OpKind::Read;
    } else {
      return "unsupported f '" + *raw.f + "' (expected put or get)";
    }
    if (!raw.key) return std::string("missing field 'key'");
    inv.key = std::move(*raw.key);
    inv.value = std::move(raw.value);
    inv.time = t_ns;
    inv.line = line;
    out.op = std::move(inv);
    return std::nullopt;
  }
  Completion done;
  done.pair_id = std::move(id);
  done.time = t_ns;
  done.line = line;
  if (!raw.result) return std::string("missing field 'result'");
  if (*raw.result == "ok") {
    done.type = CompletionType::Ok;
  } else if (*raw.result == "fail") {
    done.type = CompletionType::Fail;
  } else if (*raw.result == "unknown") {
    done.type = CompletionType::Info;
  } else {
    return "unknown result '" + *raw.result + "' (expected ok, fail or unknown)";
  }
  done.value = std::move(raw.value);
  out.op = std::move(done);
  return std::nullopt;
}

std::size_t line_of(const Event& e) {
  return std::visit([](const auto& op) { return op.line; }, e.op);
}

}  // namespace

ParseResult parse_journal(std::istream& in, const std::string& source) {
  std::vector<Event> events;
  std::string text;
  std::size_t line = 0;
  auto failed = [&](std::size_t at, const std::string& why) {
    ParseResult r;
    r.error = source + ":" + std::to_string(at) + ": " + why;
    return r;
  };
  while (std::getline(in, text)) {
    ++line;
    if (text.empty()) continue;
    // Only operation events matter here; other lines are not parsed at all.
    if (text.find("\"op.") == std::string::npos) continue;
    RawOp raw;
    // A torn last line of a killed run is skipped, as journal::read_journal does.
    if (!scan_flat(text, raw)) {
      raw = RawOp{};
      if (!from_json(text, raw)) continue;
    }
    if (raw.kind != "op.invoke" && raw.kind != "op.complete") continue;
    if (!raw.t_ns) return failed(line, "an operation event needs an integer t_ns");
    Event e;
    if (auto err = convert(std::move(raw), line, e)) return failed(line, *err);
    events.push_back(std::move(e));
  }
  // Completions may be written after later events; time order is what counts.
  // A permutation of small keys is sorted, not the events themselves (moving
  // their strings around was a quarter of the whole check).
  std::vector<std::pair<std::int64_t, std::size_t>> order(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) order[i] = {events[i].t_ns, i};
  std::sort(order.begin(), order.end());  // ties keep file order: the index breaks them
  HistoryBuilder builder(TimeUnit::Nanoseconds);
  for (const auto& [t_ns, index] : order) {
    Event& e = events[index];
    const std::size_t at = line_of(e);
    std::optional<std::string> err;
    if (auto* inv = std::get_if<Invocation>(&e.op)) {
      err = builder.invoke(std::move(*inv));
    } else {
      err = builder.complete(std::get<Completion>(e.op));
    }
    if (err) return failed(at, *err);
  }
  ParseResult r;
  r.history = builder.finish();
  return r;
}

}  // namespace faultline::lin
