// JSON wire format of Raft messages, for drivers that carry them over HTTP.
//
//   {"from":1,"to":2,"term":5,"type":"append_request","prev_index":7,"prev_term":4,
//    "entries":[{"term":5,"index":8,"command":"..."}],"leader_commit":6}
//
// `type` is one of vote_request, vote_response, append_request, append_response,
// timeout_now, install_snapshot; the other fields are the members of the matching struct in
// types.hpp. Fields added later (pre_vote, read_seq) default when absent.
// Commands and snapshot data must be valid UTF-8 (the key-value commands are JSON text); invalid
// bytes are replaced by U+FFFD rather than failing the send.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cluster/raft/types.hpp"

namespace faultline::raft {

std::string encode(const Message& message);

// nullopt if `text` is not a well-formed message; `error` (if given) then says
// what was wrong and where, e.g. "append_request.entries[2].term: missing".
std::optional<Message> decode(std::string_view text, std::string* error = nullptr);

}  // namespace faultline::raft
