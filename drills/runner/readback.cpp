#include "drills/runner/readback.hpp"

#include <thread>

#include "cluster/http/client.hpp"

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {
constexpr std::size_t kBatch = 500;
constexpr auto kDeadline = std::chrono::seconds(20);
constexpr long kRequestTimeoutMs = 3000;
}  // namespace

std::size_t read_back(const EmbeddedCluster& cluster, const std::vector<std::string>& keys,
                      journal::JournalWriter& journal) {
  http::Client client;
  const auto deadline = SteadyClock::now() + kDeadline;
  std::size_t done = 0;
  while (done < keys.size() && SteadyClock::now() < deadline) {
    const auto leader = cluster.wait_for_leader(deadline);
    if (!leader) break;
    const MemberInfo* member = cluster.member(*leader);
    const std::size_t end = std::min(keys.size(), done + kBatch);
    Json request{{"keys", Json(std::vector<std::string>(keys.begin() + static_cast<long>(done),
                                                         keys.begin() + static_cast<long>(end)))}};
    const auto response = client.request("POST", member->url + "/api/kv-read?timeout_ms=2000",
                                         request.dump(), kRequestTimeoutMs);
    const Json body = response.ok() && response.status == 200
                          ? Json::parse(response.body, nullptr, false)
                          : Json();
    if (!body.is_object() || !body.contains("values") || !body["values"].is_object()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;  // leadership moved or the read timed out: ask again
    }
    for (std::size_t i = done; i < end; ++i) {
      const Json& value = body["values"].contains(keys[i]) ? body["values"][keys[i]] : Json();
      journal.write("readback", Json{{"key", keys[i]},
                                     {"found", value.is_string()},
                                     {"value", value},
                                     {"member", *leader}});
    }
    done = end;
  }
  if (done < keys.size()) {
    journal.write("note", Json{{"text", "readback incomplete: " +
                                            std::to_string(keys.size() - done) + " of " +
                                            std::to_string(keys.size()) +
                                            " acknowledged keys could not be read within 20 s"}});
  }
  return keys.size() - done;
}

}  // namespace faultline::runner
