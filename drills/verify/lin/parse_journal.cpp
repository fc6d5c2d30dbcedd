// Our own journal: `op.invoke` / `op.complete` events (docs/journal.md).
#include <algorithm>

#include "drills/journal/journal.hpp"
#include "drills/verify/lin/history_builder.hpp"
#include "drills/verify/lin/parse.hpp"

namespace faultline::lin {

namespace {

using journal::Json;

struct Event {
  Json json;
  std::size_t line = 0;
  std::int64_t t_ns = 0;
};

std::string text_of(const Json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

Value value_of(const Json* j) {
  if (j == nullptr || j->is_null()) return std::nullopt;
  return text_of(*j);
}

const Json* field(const Json& j, const char* name) {
  auto it = j.find(name);
  return it == j.end() ? nullptr : &*it;
}

std::optional<std::string> add(HistoryBuilder& builder, const Event& e) {
  const Json& j = e.json;
  const Json* op = field(j, "op");
  if (op == nullptr) return std::string("missing field 'op'");
  std::string id = "op " + text_of(*op);
  const bool invoke = j.at("kind") == "op.invoke";
  if (invoke) {
    Invocation inv;
    inv.pair_id = id;
    const Json* client = field(j, "client");
    inv.process = client ? text_of(*client) : "?";
    const Json* f = field(j, "f");
    const Json* key = field(j, "key");
    if (f == nullptr || !f->is_string()) return std::string("missing field 'f'");
    if (*f == "put") {
      inv.kind = OpKind::Write;
    } else if (*f == "get") {
      inv.kind = OpKind::Read;
    } else {
      return "unsupported f '" + f->get<std::string>() + "' (expected put or get)";
    }
    if (key == nullptr) return std::string("missing field 'key'");
    inv.key = text_of(*key);
    inv.value = value_of(field(j, "value"));
    inv.time = e.t_ns;
    inv.line = e.line;
    return builder.invoke(std::move(inv));
  }
  Completion done;
  done.pair_id = id;
  done.time = e.t_ns;
  done.line = e.line;
  const Json* result = field(j, "result");
  if (result == nullptr || !result->is_string()) return std::string("missing field 'result'");
  if (*result == "ok") {
    done.type = CompletionType::Ok;
  } else if (*result == "fail") {
    done.type = CompletionType::Fail;
  } else if (*result == "unknown") {
    done.type = CompletionType::Info;
  } else {
    return "unknown result '" + result->get<std::string>() + "' (expected ok, fail or unknown)";
  }
  done.value = value_of(field(j, "value"));
  return builder.complete(done);
}

}  // namespace

ParseResult parse_journal(std::istream& in, const std::string& source) {
  std::vector<Event> events;
  std::string text;
  std::size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty()) continue;
    // A torn last line of a killed run is skipped, as journal::read_journal does.
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) continue;
    auto kind = j.find("kind");
    if (kind == j.end() || (*kind != "op.invoke" && *kind != "op.complete")) continue;
    auto t = j.find("t_ns");
    if (t == j.end() || !t->is_number_integer()) {
      ParseResult r;
      r.error = source + ":" + std::to_string(line) + ": an operation event needs an integer t_ns";
      return r;
    }
    const auto t_ns = t->get<std::int64_t>();
    events.push_back(Event{std::move(j), line, t_ns});
  }
  // Completions may be written after later events; time order is what counts.
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.t_ns < b.t_ns; });
  HistoryBuilder builder(TimeUnit::Nanoseconds);
  for (const Event& e : events) {
    if (auto err = add(builder, e)) {
      ParseResult r;
      r.error = source + ":" + std::to_string(e.line) + ": " + *err;
      return r;
    }
  }
  ParseResult r;
  r.history = builder.finish();
  return r;
}

}  // namespace faultline::lin
