// The `mcpServers` map of mcp_settings.json, as MCPHub documents it: each
// entry a server by name; stdio servers have `command`, `args`, `env`
// (`${VAR}` placeholders expanded from the process environment). MCPHub's
// other optional fields (description, owner, tools, options, ...) are
// accepted and ignored.
#include <cstdlib>

#include "cluster/settings/reader.hpp"
#include "cluster/settings/settings.hpp"

namespace faultline::settings {
namespace {

// ${VAR} -> the variable's value ("" when unset); anything else as written.
std::string expand(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const auto close = text.find('}', i + 2);
      if (close != std::string::npos) {
        const char* value = std::getenv(text.substr(i + 2, close - i - 2).c_str());
        out += value != nullptr ? value : "";
        i = close;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::vector<std::string> strings_at(ObjectReader& r, const std::string& key) {
  std::vector<std::string> out;
  const Json* v = r.member(key);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    r.fail(r.path_of(key), "expected an array of strings, found " + describe(*v));
    return out;
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      r.fail(r.path_of(key) + "[" + std::to_string(i) + "]", "expected a string, found " + describe((*v)[i]));
      continue;
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

}  // namespace

void read_servers(const Json& document, const std::string& file, std::vector<std::string>& errors,
                  std::vector<ServerConfig>& servers) {
  const auto it = document.find("mcpServers");
  if (it == document.end() || it->is_null()) return;
  if (!it->is_object()) {
    errors.push_back(file + ": $.mcpServers: expected an object of servers by name, found " + describe(*it));
    return;
  }
  for (const auto& [name, entry] : it->items()) {
    const std::string path = child_path("$.mcpServers", name);
    ObjectReader r(&entry, path, file, errors);
    if (!r.present()) {
      if (entry.is_null()) errors.push_back(file + ": " + path + ": expected an object, found null");
      continue;
    }
    ServerConfig s;
    s.name = name;
    if (auto v = r.boolean("enabled")) s.enabled = *v;
    if (auto v = r.string("command")) s.command = *v;
    s.args = strings_at(r, "args");
    if (const Json* env = r.member("env")) {
      if (!env->is_object()) {
        r.fail(r.path_of("env"), "expected an object of strings, found " + describe(*env));
      } else {
        for (const auto& [var, value] : env->items()) {
          if (!value.is_string()) {
            r.fail(child_path(r.path_of("env"), var), "expected a string, found " + describe(value));
            continue;
          }
          s.env[var] = expand(value.get<std::string>());
        }
      }
    }
    if (auto v = r.choice("type", {"stdio", "sse", "streamable-http", "openapi"})) {
      s.type = *v;
    } else if (!r.has("type") && s.command.empty() && (r.has("url") || r.has("openapi"))) {
      s.type = r.has("openapi") ? "openapi" : "sse";
    }
    if (s.type == "stdio" && s.command.empty() && !r.has("command")) {
      r.fail(r.path_of("command"), "a stdio server needs a command (the program to start), found none");
    }
    servers.push_back(std::move(s));
  }
}

}  // namespace faultline::settings
