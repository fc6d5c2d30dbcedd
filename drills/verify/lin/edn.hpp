// A small reader for the subset of EDN found in Jepsen histories: nil,
// booleans, numbers, strings, keywords, symbols, vectors, lists and maps.
// Tagged literals, sets and metadata are rejected with an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::lin::edn {

enum class Type : std::uint8_t { Nil, Boolean, Number, String, Keyword, Symbol, Vector, Map };

struct Node {
  Type type = Type::Nil;
  std::string text;         // Number/Symbol: as written; String: unescaped; Keyword: with the ':'
  std::vector<Node> items;  // Vector (and list) items; Map: key, value, key, value...

  // Map lookup by keyword name such as ":type"; nullptr when absent.
  const Node* get(std::string_view keyword) const;
};

struct ReadResult {
  std::optional<Node> node;
  std::string error;  // set when node is empty
};

// Reads exactly one form from `text` (surrounding whitespace and commas allowed).
ReadResult read(std::string_view text);

}  // namespace faultline::lin::edn
