// What the Streamable HTTP transport's two ends share here (the node serving
// MCP and the coordinator routing it): protocol versions, session ids, the
// Accept rules and the SSE framing of a single answer.
//
// Thread-safety: pure functions (new_session_id reads /dev/urandom).
#pragma once

#include <string>
#include <vector>

#include "cluster/mcp/jsonrpc.hpp"

namespace faultline::mcp {

// Newest first; what an initialize may ask for and get echoed.
const std::vector<std::string>& supported_versions();
// The version to answer an initialize that asked for `requested`: the same
// when supported, else the newest (MCP's negotiation rule).
std::string negotiate_version(const Json& initialize_params);

// 32 hex digits from the kernel's random source: visible ASCII, as the
// transport requires, and unguessable.
std::string new_session_id();

// How an answer to a request may be sent, from the Accept header.
enum class Answer { json, sse, unacceptable };
// JSON when the client accepts it (or sends no Accept at all, as curl does
// by default), SSE when it accepts only text/event-stream.
Answer answer_format(const std::string& accept_header);
// One SSE event carrying `message`, the stream ending after it.
std::string sse_event(const std::string& message);

// _meta key by which a node tells a hosted server which client session a
// request belongs to (the built-in counter keeps its state per session).
inline constexpr const char* kSessionMeta = "faultline/session";

}  // namespace faultline::mcp
