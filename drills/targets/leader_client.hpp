// The one rule every HTTP target's clients follow to reach a cluster, so that
// the embedded cluster, etcd and declared processes are driven the same way
// (same operation timeout, same moves between members):
//
//  - a request goes to the member believed to lead;
//  - an answer that certainly did nothing (connection refused, an answer
//    the target names as "not done here" — by default 421 not the leader
//    and 503 superseded, or the target's own rule (set_not_done: etcd's
//    "raft proposal dropped") — what the caller adds, and any error answer
//    to a read-only call) is retried, on the leader the answer names if
//    any, else on the next member, until the operation's deadline: at once
//    when following a named leader, after 15 ms otherwise; a member that
//    refused the connection during the operation is not tried again in it,
//    even when another still names it (that hint is stale);
//  - an answer that may have taken effect (a timeout after connecting, an
//    error status that is not in the list) ends the operation: `unknown`, and
//    the next operation starts on the next member, so a member that stopped
//    answering does not hold every later operation of the client;
//  - 200 is `ok`.
//
// Thread-safety: one LeaderClient per thread.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cluster/http/client.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {

struct HttpCall {
  std::string method;
  std::string path;  // with query; `timeout_ms` is appended by send() when asked
  std::string body;
  bool append_timeout = false;  // add ?timeout_ms=<remaining - 20>
  // The call changes nothing (a read): an error answer cannot have done
  // anything either, so it is retried like a refusal.
  bool read_only = false;
};

// Whether a non-200 answer (status, raw body) certainly did nothing.
using NotDone = std::function<bool(long status, const std::string& body)>;

struct HttpAnswer {
  std::string result;  // ok | fail | unknown
  std::string member;  // id of the member that answered last
  std::string error;
  long status = 0;
  Json body;  // the 200 answer, parsed (discarded when not JSON)
};

class LeaderClient {
 public:
  // `urls` and `ids` of the voters, in the same order; `start` is the member
  // tried first. `leader_hint` finds the leader's id in a refusal's body.
  LeaderClient(std::vector<std::string> urls, std::vector<std::string> ids, std::size_t start,
               const std::string& source_address,
               std::function<std::optional<std::string>(const Json& body)> leader_hint);

  // Sends `call` by the rule above. `also_retry`: statuses that, for this
  // call, also say it did not happen. `at`: start on this member instead of
  // the believed leader, and leave the believed leader alone.
  HttpAnswer send(const HttpCall& call, Deadline deadline, std::span<const int> also_retry = {},
                  std::optional<std::size_t> at = std::nullopt);
  std::size_t members() const { return urls_.size(); }
  // Replaces the default rule (421 and 503 did nothing) for every later call.
  void set_not_done(NotDone rule) { not_done_ = std::move(rule); }

 private:
  const std::vector<std::string> urls_;
  const std::vector<std::string> ids_;
  std::function<std::optional<std::string>(const Json&)> leader_hint_;
  NotDone not_done_;
  std::size_t believed_leader_;
  http::Client http_;
};

}  // namespace faultline::targets
