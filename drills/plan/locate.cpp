#include "drills/plan/locate.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace faultline::plan {
namespace {

// A cursor over the text that counts lines as it moves. Every method advances
// or stops at the end, so loops driven by it terminate.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  int line() const { return line_; }

  void advance() {
    if (at_end()) return;
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }

  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      advance();
    }
  }

  // At a '"': reads the string, decoding escapes, and stops after the closing
  // quote. Returns nullopt when the text ends first.
  std::optional<std::string> read_string() {
    std::string out;
    advance();  // opening quote
    while (!at_end()) {
      const char c = peek();
      advance();
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      advance();
      switch (e) {
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          append_utf8(out, read_code_point());
          break;
        default:
          out += e;
          break;  // '"', '\\', '/'
      }
    }
    return std::nullopt;
  }

  // Skips one value of any kind. Nested containers are skipped by counting
  // brackets outside strings, without recursion, so deep nesting is harmless.
  void skip_value() {
    skip_ws();
    int depth = 0;
    while (!at_end()) {
      const char c = peek();
      if (c == '"') {
        (void)read_string();
        if (depth == 0) return;
        continue;
      }
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return;  // end of the enclosing container
        --depth;
        if (depth == 0) {
          advance();
          return;
        }
      } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
        return;  // end of a scalar
      }
      advance();
    }
  }

 private:
  std::uint32_t read_hex4() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4 && !at_end(); ++i) {
      const char c = peek();
      std::uint32_t d = 0;
      if (c >= '0' && c <= '9') {
        d = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return v;
      }
      v = v * 16 + d;
      advance();
    }
    return v;
  }

  std::uint32_t read_code_point() {
    const std::uint32_t hi = read_hex4();
    if (hi >= 0xD800 && hi <= 0xDBFF && peek() == '\\') {
      advance();
      if (peek() != 'u') return hi;
      advance();
      const std::uint32_t lo = read_hex4();
      if (lo >= 0xDC00 && lo <= 0xDFFF) return 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    }
    return hi;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    auto byte = [](std::uint32_t v) { return static_cast<char>(static_cast<unsigned char>(v)); };
    if (cp < 0x80) {
      out += byte(cp);
    } else if (cp < 0x800) {
      out += byte(0xC0 | (cp >> 6));
      out += byte(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += byte(0xE0 | (cp >> 12));
      out += byte(0x80 | ((cp >> 6) & 0x3F));
      out += byte(0x80 | (cp & 0x3F));
    } else {
      out += byte(0xF0 | (cp >> 18));
      out += byte(0x80 | ((cp >> 12) & 0x3F));
      out += byte(0x80 | ((cp >> 6) & 0x3F));
      out += byte(0x80 | (cp & 0x3F));
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

// At a '{': finds the last member named `key`. On success returns the key's
// line and leaves the cursor at the start of that member's value.
std::optional<int> find_member(Cursor& cur, const std::string& key) {
  if (cur.peek() != '{') return std::nullopt;
  std::optional<int> found;
  Cursor found_at = cur;
  cur.advance();
  while (!cur.at_end()) {
    cur.skip_ws();
    if (cur.peek() == ',') {
      cur.advance();
      continue;
    }
    if (cur.peek() != '"') break;  // '}' or malformed
    const int key_line = cur.line();
    const std::optional<std::string> name = cur.read_string();
    if (!name) break;
    cur.skip_ws();
    if (cur.peek() != ':') break;
    cur.advance();
    cur.skip_ws();
    if (*name == key) {
      found = key_line;
      found_at = cur;
    }
    cur.skip_value();
  }
  if (found) cur = found_at;
  return found;
}

// At a '[': finds element `index`. On success returns the element's line and
// leaves the cursor at its start.
std::optional<int> find_element(Cursor& cur, std::size_t index) {
  if (cur.peek() != '[') return std::nullopt;
  cur.advance();
  for (std::size_t i = 0; !cur.at_end(); ++i) {
    cur.skip_ws();
    if (cur.peek() == ']') return std::nullopt;
    if (i == index) return cur.line();
    cur.skip_value();
    cur.skip_ws();
    if (cur.peek() != ',') return std::nullopt;
    cur.advance();
  }
  return std::nullopt;
}

}  // namespace

int locate_line(std::string_view text, const JsonPath& path) {
  // nlohmann::json skips a UTF-8 byte order mark; so must we.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  Cursor cur(text);
  cur.skip_ws();
  if (cur.at_end()) return 0;
  int best = cur.line();
  for (const PathStep& step : path) {
    std::optional<int> line;
    if (const auto* key = std::get_if<std::string>(&step)) {
      line = find_member(cur, *key);
    } else {
      line = find_element(cur, std::get<std::size_t>(step));
    }
    if (!line) return best;
    best = *line;
    cur.skip_ws();
  }
  return best;
}

std::vector<DuplicateKey> duplicate_keys(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // One frame per open container, holding only the step that leads to it,
  // so that memory stays linear in the depth; a path is built only for a
  // duplicate found.
  struct Frame {
    bool object;
    std::optional<PathStep> step;     // none for the root
    std::map<std::string, int> keys;  // key -> line of its first occurrence
    std::size_t next_index = 0;
  };
  std::vector<DuplicateKey> out;
  std::vector<Frame> stack;
  Cursor cur(text);
  auto path_of = [&](const PathStep& last) {
    JsonPath path;
    for (const Frame& f : stack) {
      if (f.step) path.push_back(*f.step);
    }
    path.push_back(last);
    return path;
  };
  // At a value: a container opens a frame, a scalar is skipped.
  auto enter = [&](std::optional<PathStep> step) {
    cur.skip_ws();
    const char c = cur.peek();
    if (c == '{' || c == '[') {
      cur.advance();
      stack.push_back({c == '{', std::move(step), {}, 0});
    } else {
      cur.skip_value();
    }
  };
  enter(std::nullopt);
  while (!stack.empty() && !cur.at_end()) {
    cur.skip_ws();
    const char c = cur.peek();
    if (c == ',') {
      cur.advance();
      continue;
    }
    if (c == '}' || c == ']') {
      cur.advance();
      stack.pop_back();
      continue;
    }
    Frame& frame = stack.back();
    if (!frame.object) {
      enter(PathStep(frame.next_index++));
      continue;
    }
    if (c != '"') break;
    const int line = cur.line();
    const std::optional<std::string> key = cur.read_string();
    if (!key) break;
    cur.skip_ws();
    if (cur.peek() != ':') break;
    cur.advance();
    const auto [it, fresh] = frame.keys.emplace(*key, line);
    if (!fresh) out.push_back({path_of(PathStep(*key)), line, it->second});
    enter(PathStep(*key));  // may grow the stack: `frame` is not used after this
  }
  return out;
}

}  // namespace faultline::plan
