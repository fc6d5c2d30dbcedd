// Jepsen's two textual forms: log lines from jepsen.util and EDN operation maps.
#include <cctype>
#include <string_view>

#include "drills/verify/lin/edn.hpp"
#include "drills/verify/lin/history_builder.hpp"
#include "drills/verify/lin/parse.hpp"

namespace faultline::lin {

namespace {

struct Event {
  std::string process;
  std::string type;  // keyword, e.g. ":invoke"
  std::string f;     // keyword, e.g. ":cas"
  std::string key;
  const edn::Node* value = nullptr;  // may be null (absent)
};

std::optional<OpKind> kind_of(const std::string& f) {
  if (f == ":read" || f == ":get") return OpKind::Read;
  if (f == ":write" || f == ":put") return OpKind::Write;
  if (f == ":cas") return OpKind::Cas;
  if (f == ":append") return OpKind::Append;
  return std::nullopt;
}

bool scalar(const edn::Node* node, Value& out) {
  if (node == nullptr || node->type == edn::Type::Nil) {
    out.reset();
    return true;
  }
  if (node->type == edn::Type::Vector || node->type == edn::Type::Map) return false;
  out = node->text;
  return true;
}

// Feeds one event to the builder; returns an error message or nullopt.
std::optional<std::string> add_event(HistoryBuilder& builder, const Event& e, std::int64_t time,
                                     std::size_t line) {
  auto kind = kind_of(e.f);
  if (!kind) return "unsupported operation " + e.f + " (expected read, write, cas, get, put or append)";
  if (e.type == ":invoke") {
    Invocation inv;
    inv.pair_id = "process " + e.process;
    inv.process = e.process;
    inv.key = e.key;
    inv.kind = *kind;
    inv.time = time;
    inv.line = line;
    if (*kind == OpKind::Cas) {
      if (e.value == nullptr || e.value->type != edn::Type::Vector || e.value->items.size() != 2 ||
          !scalar(&e.value->items[0], inv.expected) || !scalar(&e.value->items[1], inv.value)) {
        return std::string("a cas needs a value [FROM TO]");
      }
    } else if (*kind != OpKind::Read && !scalar(e.value, inv.value)) {
      return "the value of " + e.f + " must be a single value";
    }
    return builder.invoke(std::move(inv));
  }
  Completion done;
  done.pair_id = "process " + e.process;
  done.time = time;
  done.line = line;
  if (e.type == ":ok") {
    done.type = CompletionType::Ok;
    if (*kind == OpKind::Read && !scalar(e.value, done.value)) return std::string("a read must return a single value");
  } else if (e.type == ":fail") {
    done.type = CompletionType::Fail;
  } else if (e.type == ":info") {
    done.type = CompletionType::Info;
  } else {
    return "unknown type " + e.type + " (expected :invoke, :ok, :fail or :info)";
  }
  return builder.complete(done);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view next_token(std::string_view& rest) {
  std::size_t b = rest.find_first_not_of(" \t");
  if (b == std::string_view::npos) {
    rest = {};
    return {};
  }
  std::size_t e = rest.find_first_of(" \t", b);
  std::string_view tok = rest.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
  rest = e == std::string_view::npos ? std::string_view{} : rest.substr(e);
  return tok;
}

ParseResult fail_at(const std::string& source, std::size_t line, const std::string& what) {
  ParseResult r;
  r.error = source + ":" + std::to_string(line) + ": " + what;
  return r;
}

}  // namespace

ParseResult parse_jepsen_log(std::istream& in, const std::string& source) {
  static constexpr std::string_view kMarker = "jepsen.util - ";
  HistoryBuilder builder(TimeUnit::Event);
  std::string text;
  std::size_t line = 0;
  std::int64_t time = 0;
  while (std::getline(in, text)) {
    ++line;
    std::size_t at = text.find(kMarker);
    if (at == std::string::npos) continue;
    std::string_view rest = std::string_view(text).substr(at + kMarker.size());
    Event e;
    e.process = std::string(next_token(rest));
    // Nemesis and set-up lines carry no client process number.
    if (!all_digits(e.process)) continue;
    e.type = std::string(next_token(rest));
    e.f = std::string(next_token(rest));
    if (e.type.empty() || e.type[0] != ':' || e.f.empty() || e.f[0] != ':') continue;
    std::size_t b = rest.find_first_not_of(" \t\r");
    std::size_t end = rest.find_last_not_of(" \t\r");
    std::string value_text = b == std::string_view::npos ? "nil" : std::string(rest.substr(b, end - b + 1));
    edn::ReadResult value = edn::read(value_text);
    if (!value.node) return fail_at(source, line, "cannot read the value '" + value_text + "': " + value.error);
    e.value = &*value.node;
    if (auto err = add_event(builder, e, time++, line)) return fail_at(source, line, *err);
  }
  ParseResult r;
  r.history = builder.finish();
  return r;
}

ParseResult parse_edn(std::istream& in, const std::string& source) {
  HistoryBuilder builder(TimeUnit::Event);
  std::string text;
  std::size_t line = 0;
  std::int64_t time = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.find_first_not_of(" \t\r,") == std::string::npos) continue;
    edn::ReadResult form = edn::read(text);
    if (!form.node) return fail_at(source, line, "not an EDN form: " + form.error);
    const edn::Node& m = *form.node;
    if (m.type != edn::Type::Map) return fail_at(source, line, "expected an operation map {:process ..., :type ..., :f ...}");
    const edn::Node* process = m.get(":process");
    const edn::Node* type = m.get(":type");
    const edn::Node* f = m.get(":f");
    if (process == nullptr || type == nullptr || f == nullptr) {
      return fail_at(source, line, "an operation map needs :process, :type and :f");
    }
    // The nemesis is not a client of the register.
    if (process->type != edn::Type::Number) continue;
    Event e;
    e.process = process->text;
    e.type = type->text;
    e.f = f->text;
    if (const edn::Node* key = m.get(":key")) {
      Value k;
      if (!scalar(key, k)) return fail_at(source, line, ":key must be a single value");
      e.key = k.value_or("nil");
    }
    e.value = m.get(":value");
    if (auto err = add_event(builder, e, time++, line)) return fail_at(source, line, *err);
  }
  ParseResult r;
  r.history = builder.finish();
  return r;
}

}  // namespace faultline::lin
