#include "drills/verify/lin/edn.hpp"

#include <cctype>

namespace faultline::lin::edn {

const Node* Node::get(std::string_view keyword) const {
  if (type != Type::Map) return nullptr;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].type == Type::Keyword && items[i].text == keyword) return &items[i + 1];
  }
  return nullptr;
}

namespace {

// Recursion depth is bounded so a hostile line cannot exhaust the stack.
constexpr int kMaxDepth = 64;

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  ReadResult read_one() {
    ReadResult r;
    Node n;
    if (!form(n, 0)) {
      r.error = error_;
      return r;
    }
    skip_space();
    if (pos_ != s_.size()) {
      r.error = "unexpected text after the form at column " + std::to_string(pos_ + 1);
      return r;
    }
    r.node = std::move(n);
    return r;
  }

 private:
  bool fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at column " + std::to_string(pos_ + 1);
    return false;
  }

  void skip_space() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ';') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  static bool delimiter(char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '(' || c == ')' ||
           c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == ';';
  }

  bool form(Node& out, int depth) {
    if (depth > kMaxDepth) return fail("nesting too deep");
    skip_space();
    if (pos_ >= s_.size()) return fail("unexpected end of input");
    char c = s_[pos_];
    if (c == '[' || c == '(') return sequence(out, c == '[' ? ']' : ')', Type::Vector, depth);
    if (c == '{') return sequence(out, '}', Type::Map, depth);
    if (c == '"') return string(out);
    if (c == '#') return fail("tagged literals and sets are not supported");
    if (c == ')' || c == ']' || c == '}') return fail(std::string("unexpected '") + c + "'");
    std::size_t start = pos_;
    while (pos_ < s_.size() && !delimiter(s_[pos_])) ++pos_;
    out.text = std::string(s_.substr(start, pos_ - start));
    if (out.text == "nil") {
      out.type = Type::Nil;
    } else if (out.text == "true" || out.text == "false") {
      out.type = Type::Boolean;
    } else if (out.text[0] == ':') {
      out.type = Type::Keyword;
    } else if (std::isdigit(static_cast<unsigned char>(out.text[0])) ||
               ((out.text[0] == '-' || out.text[0] == '+') && out.text.size() > 1 &&
                std::isdigit(static_cast<unsigned char>(out.text[1])))) {
      out.type = Type::Number;
    } else {
      out.type = Type::Symbol;
    }
    return true;
  }

  bool sequence(Node& out, char close, Type type, int depth) {
    out.type = type;
    ++pos_;
    while (true) {
      skip_space();
      if (pos_ >= s_.size()) return fail(std::string("missing '") + close + "'");
      if (s_[pos_] == close) {
        ++pos_;
        break;
      }
      Node item;
      if (!form(item, depth + 1)) return false;
      out.items.push_back(std::move(item));
    }
    if (type == Type::Map && out.items.size() % 2 != 0) return fail("map with an odd number of forms");
    return true;
  }

  bool string(Node& out) {
    out.type = Type::String;
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c == '\\') {
        if (pos_ >= s_.size()) break;
        char e = s_[pos_++];
        switch (e) {
          case 'n': out.text += '\n'; break;
          case 't': out.text += '\t'; break;
          case 'r': out.text += '\r'; break;
          default: out.text += e; break;
        }
      } else {
        out.text += c;
      }
    }
    if (pos_ >= s_.size()) return fail("unterminated string");
    ++pos_;
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

ReadResult read(std::string_view text) { return Reader(text).read_one(); }

}  // namespace faultline::lin::edn
