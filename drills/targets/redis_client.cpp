// The redis-sentinel target's client protocol, the way Redis' own
// Sentinel-aware clients work: ask the sentinels for the primary
// (`SENTINEL GET-MASTER-ADDR-BY-NAME`), talk to that address until an error,
// then ask again. Results are classified by what the server can have done:
//
//  - `+OK` to SET is acknowledged (`ok`); in WAIT mode only when the WAIT
//    that follows it in the same pipeline reached `wait_replicas`, else the
//    write is applied on the primary but not known to be replicated:
//    `unknown`, and the next operation asks the sentinels again;
//  - nothing sent (connect refused or timed out, the send failed before a
//    byte left), `-READONLY` (a replica: the primary moved) and
//    `-NOREPLICAS` (min-replicas-to-write) certainly did nothing: `fail`,
//    retried on the primary the sentinels name until the deadline;
//  - a timeout or a lost connection after sending: `unknown`, and the next
//    operation asks the sentinels again.
//
// Read-back reads from the primary a majority of the sentinels name, from the
// observer's address.
#include <thread>

#include "drills/targets/redis.hpp"
#include "drills/targets/redis_config.hpp"

namespace faultline::targets {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kAskTimeout = std::chrono::milliseconds(300);
constexpr auto kRetryBackoff = std::chrono::milliseconds(15);
constexpr std::size_t kReadBackBatch = 500;

Deadline before(Deadline deadline, std::chrono::milliseconds most) { return std::min(deadline, Clock::now() + most); }

void pause_until(Deadline deadline) {
  std::this_thread::sleep_until(std::min(deadline, Clock::now() + kRetryBackoff));
}

class RedisClient final : public KvClient {
 public:
  RedisClient(const RedisBook& book, const RedisOptions& options, std::size_t index, std::string source)
      : book_(book), wait_replicas_(options.wait_replicas), wait_timeout_ms_(options.wait_timeout_ms),
        source_(std::move(source)), next_sentinel_(index), sentinels_(book.sentinels_for_clients.size()) {}

  OpAttempt put(const std::string& key, const std::string& value, Deadline deadline) override {
    std::vector<std::vector<std::string>> commands{{"SET", key, value}};
    if (wait_replicas_ > 0) {
      commands.push_back({"WAIT", std::to_string(wait_replicas_), std::to_string(wait_timeout_ms_)});
    }
    return run(commands, deadline, [this](const RespResult& r, OpAttempt& out) {
      if (!r.replies[0].is_status("OK")) return false;
      out.result = "ok";
      if (wait_replicas_ > 0) {
        const RespValue& acks = r.replies[1];
        if (acks.type != RespValue::Type::integer || acks.integer < wait_replicas_) {
          out.result = "unknown";
          out.error = "applied on the primary, but WAIT reached " +
                      (acks.type == RespValue::Type::integer ? std::to_string(acks.integer) : acks.text) + " of " +
                      std::to_string(wait_replicas_) + " replicas in " + std::to_string(wait_timeout_ms_) + " ms";
        }
      }
      return true;
    });
  }

  OpAttempt get(const std::string& key, Deadline deadline, std::optional<std::size_t>) override {
    return run({{"GET", key}}, deadline, [](const RespResult& r, OpAttempt& out) {
      const RespValue& v = r.replies[0];
      if (v.type != RespValue::Type::string && v.type != RespValue::Type::nil) return false;
      out.result = "ok";
      out.value = v.type == RespValue::Type::string ? Json(v.text) : Json(nullptr);
      return true;
    });
  }

  OpAttempt call(const std::string&, const std::string&, Deadline) override {
    OpAttempt out;
    out.error = "redis-sentinel has no routed calls (no worker nodes)";
    return out;
  }

 private:
  using Accept = std::function<bool(const RespResult&, OpAttempt&)>;

  // Runs `commands` on the primary by the rule in the header. `accept`
  // judges a reply whose first element is not an error; false: unexpected.
  OpAttempt run(const std::vector<std::vector<std::string>>& commands, Deadline deadline, const Accept& accept) {
    OpAttempt out;
    out.error = "no primary accepted the operation before its deadline";
    while (Clock::now() < deadline) {
      if (!primary_ && !ask_sentinels(deadline, out)) {
        pause_until(deadline);
        continue;
      }
      out.member = *primary_;
      if (!connection_.connected()) {
        const network::Endpoint at = book_.client_dial.at(*primary_);
        if (auto failed = connection_.connect(at.host, at.port, source_, deadline)) {
          out.error = *failed;
          primary_.reset();
          pause_until(deadline);
          continue;
        }
      }
      const RespResult r = connection_.run(commands, deadline);
      if (r.outcome == RespResult::Outcome::not_sent) {
        out.error = r.error;
        primary_.reset();
        pause_until(deadline);
        continue;
      }
      if (r.outcome == RespResult::Outcome::lost) {
        out.result = "unknown";
        out.error = r.error;
        primary_.reset();
        return out;
      }
      const RespValue& first = r.replies[0];
      if (first.is_error()) {
        out.error = first.text;
        const std::string code = first.error_code();
        if (code == "READONLY" || code == "NOREPLICAS" || code == "LOADING" || code == "MASTERDOWN") {
          // Certainly not applied: the primary moved, or refuses writes for now.
          connection_.close();
          primary_.reset();
          pause_until(deadline);
          continue;
        }
        return out;
      }
      if (!accept(r, out)) out.error = "unexpected reply to " + commands[0][0];
      // A WAIT short of its count: the primary may be cut off from its
      // replicas, so the next operation asks the sentinels again.
      if (out.result == "unknown") primary_.reset();
      return out;
    }
    return out;
  }

  // Asks the sentinels in turn, from this client's own first choice, for the
  // primary's address. False with `out.error` when none answered with a
  // member of the topology.
  bool ask_sentinels(Deadline deadline, OpAttempt& out) {
    const auto& sentinels = book_.sentinels_for_clients;
    for (std::size_t tried = 0; tried < sentinels.size() && Clock::now() < deadline; ++tried) {
      const std::size_t i = next_sentinel_++ % sentinels.size();
      RespConnection& c = sentinels_[i];
      const Deadline ask_deadline = before(deadline, kAskTimeout);
      if (!c.connected()) {
        if (auto failed = c.connect(sentinels[i].host, sentinels[i].port, source_, ask_deadline)) {
          out.error = "asking " + sentinels[i].id + " for the primary: " + *failed;
          continue;
        }
      }
      const RespResult r = c.command({"SENTINEL", "GET-MASTER-ADDR-BY-NAME", kRedisMasterName}, ask_deadline);
      if (!r.ok() || r.replies[0].type != RespValue::Type::array || r.replies[0].elements.size() != 2) {
        out.error = "asking " + sentinels[i].id + " for the primary: " + (r.ok() ? "no address" : r.error);
        continue;
      }
      const std::string at = r.replies[0].elements[0].text + ":" + r.replies[0].elements[1].text;
      const auto id = book_.id_at.find(at);
      if (id == book_.id_at.end()) {
        out.error = sentinels[i].id + " names " + at + ", no member of the topology";
        continue;
      }
      // The next question starts where this one was answered.
      next_sentinel_ = i;
      if (primary_ != id->second) connection_.close();
      primary_ = id->second;
      return true;
    }
    return false;
  }

  const RedisBook& book_;
  const int wait_replicas_;
  const std::int64_t wait_timeout_ms_;
  const std::string source_;
  std::size_t next_sentinel_;
  std::vector<RespConnection> sentinels_;
  std::optional<std::string> primary_;  // the member believed to be the primary
  RespConnection connection_;           // to primary_
};

}  // namespace

std::unique_ptr<KvClient> RedisSentinelTarget::make_client(std::size_t index, const std::string& source_address) {
  return std::make_unique<RedisClient>(book_, options_, index, source_address);
}

std::vector<ReadBackValue> RedisSentinelTarget::read_back(const std::vector<std::string>& keys, Deadline deadline,
                                                          std::string& error) {
  std::vector<ReadBackValue> out;
  std::size_t done = 0;
  RespConnection c;
  std::string reading_from;
  while (done < keys.size() && Clock::now() < deadline) {
    const auto primary = watch_->agreed_primary();
    if (!primary) {
      std::this_thread::sleep_for(kRetryBackoff);
      continue;
    }
    const MemberInfo* m = member(*primary);
    if (!c.connected() || reading_from != *primary) {
      reading_from = *primary;
      if (c.connect(m->host, m->ports.at("redis"), observer_address(), before(deadline, kAskTimeout))) {
        std::this_thread::sleep_for(kRetryBackoff);
        continue;
      }
    }
    const std::size_t end = std::min(keys.size(), done + kReadBackBatch);
    std::vector<std::string> mget{"MGET"};
    mget.insert(mget.end(), keys.begin() + static_cast<long>(done), keys.begin() + static_cast<long>(end));
    const RespResult r = c.command(mget, before(deadline, std::chrono::milliseconds(3000)));
    if (!r.ok() || r.replies[0].type != RespValue::Type::array || r.replies[0].elements.size() != end - done) {
      c.close();
      std::this_thread::sleep_for(kRetryBackoff);
      continue;
    }
    for (std::size_t i = done; i < end; ++i) {
      const RespValue& v = r.replies[0].elements[i - done];
      const bool found = v.type == RespValue::Type::string;
      out.push_back({keys[i], found, found ? Json(v.text) : Json(nullptr), *primary});
    }
    done = end;
  }
  if (done < keys.size()) {
    error = std::to_string(keys.size() - done) + " of " + std::to_string(keys.size()) +
            " acknowledged keys could not be read from the primary the sentinels name before the deadline";
  }
  return out;
}

}  // namespace faultline::targets
