#include "drills/targets/sentinel_watch.hpp"

namespace faultline::targets {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(25);
constexpr auto kRequestTimeout = std::chrono::milliseconds(300);
constexpr auto kFresh = std::chrono::seconds(1);
constexpr auto kReconnectBackoff = std::chrono::milliseconds(50);
// A subscribed read wakes up this often to notice stop().
constexpr auto kListenSlice = std::chrono::milliseconds(100);

}  // namespace

SentinelWatch::SentinelWatch(std::string master_name, std::vector<SentinelAddress> sentinels,
                             std::map<std::string, std::string> book, std::string source_address)
    : master_name_(std::move(master_name)), sentinels_(std::move(sentinels)), book_(std::move(book)),
      source_(std::move(source_address)) {}

SentinelWatch::~SentinelWatch() { stop(); }

void SentinelWatch::start() {
  stopping_ = false;
  for (std::size_t i = 0; i < sentinels_.size(); ++i) {
    threads_.emplace_back([this, i] { poll_loop(i); });
    threads_.emplace_back([this, i] { events_loop(i); });
  }
}

void SentinelWatch::stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  set_sink({});
}

void SentinelWatch::set_sink(Target::EventSink sink) {
  std::lock_guard lock(sink_mu_);
  sink_ = std::move(sink);
}

std::string SentinelWatch::member_at(const std::string& address) const {
  const auto it = book_.find(address);
  return it == book_.end() ? std::string() : it->second;
}

void SentinelWatch::poll_loop(std::size_t index) {
  const SentinelAddress& s = sentinels_[index];
  RespConnection connection;
  while (!stopping_) {
    const auto next = Clock::now() + kPollInterval;
    if (!connection.connected()) connection.connect(s.host, s.port, source_, Clock::now() + kRequestTimeout);
    if (connection.connected()) {
      const RespResult r = connection.run({{"SENTINEL", "MASTER", master_name_},
                                           {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", master_name_}},
                                          Clock::now() + kRequestTimeout);
      if (r.ok()) {
        if (auto report = parse_sentinel_report(r.replies[0], r.replies[1])) {
          std::lock_guard lock(mu_);
          reports_[s.id] = {*report, Clock::now()};
          highest_epoch_ = std::max(highest_epoch_, report->config_epoch);
        }
      }
    }
    while (!stopping_ && Clock::now() < next) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void SentinelWatch::events_loop(std::size_t index) {
  const SentinelAddress& s = sentinels_[index];
  RespConnection connection;
  while (!stopping_) {
    if (!connection.connected()) {
      if (connection.connect(s.host, s.port, source_, Clock::now() + kRequestTimeout) ||
          !connection.command({"PSUBSCRIBE", "*"}, Clock::now() + kRequestTimeout).ok()) {
        connection.close();
        std::this_thread::sleep_for(kReconnectBackoff);
        continue;
      }
    }
    const auto message = connection.next_message(Clock::now() + kListenSlice);
    // ["pmessage", pattern, channel, text]
    if (message && message->type == RespValue::Type::array && message->elements.size() == 4 &&
        message->elements[0].text == "pmessage") {
      publish(index, message->elements[2].text, message->elements[3].text);
    }
  }
}

void SentinelWatch::publish(std::size_t index, const std::string& channel, const std::string& message) {
  const SentinelEvent e = parse_sentinel_event(channel, message);
  if (e.epoch) {
    std::lock_guard lock(mu_);
    highest_epoch_ = std::max(highest_epoch_, *e.epoch);
  }
  Json event{{"source", sentinels_[index].id}, {"event", e.event}, {"text", message}};
  if (!e.instance.empty()) event["instance"] = e.instance;
  if (const std::string member = member_at(e.address); !member.empty()) event["member"] = member;
  if (const std::string from = member_at(e.from); !from.empty()) event["from"] = from;
  if (e.epoch) event["epoch"] = *e.epoch;
  if (!e.part.empty()) event["part"] = e.part;
  std::lock_guard lock(sink_mu_);
  if (sink_) sink_(std::move(event));
}

std::optional<std::string> SentinelWatch::agreed_primary() const {
  std::map<std::string, std::size_t> votes;
  for (const auto& [id, report] : fresh_reports()) ++votes[member_at(report.master)];
  for (const auto& [member, count] : votes) {
    if (!member.empty() && count >= sentinels_.size() / 2 + 1) return member;
  }
  return std::nullopt;
}

std::map<std::string, SentinelReport> SentinelWatch::fresh_reports() const {
  std::lock_guard lock(mu_);
  std::map<std::string, SentinelReport> out;
  const auto now = Clock::now();
  for (const auto& [id, r] : reports_) {
    if (now - r.at <= kFresh) out[id] = r.report;
  }
  return out;
}

std::uint64_t RedisTerms::term_of(const std::string& member, bool master, std::optional<std::uint64_t> named,
                                  std::uint64_t highest_epoch, const std::optional<std::string>& follows) {
  std::uint64_t& last = last_term_[member];
  const auto was = last_master_.find(member);
  std::uint64_t term = last;
  if (master) {
    if (named) {
      term = *named;
    } else if (was != last_master_.end() && !was->second) {
      term = highest_epoch;  // a replica that just turned primary, not named yet
    }
  } else if (follows) {
    const auto primary = last_term_.find(*follows);
    if (primary != last_term_.end()) term = primary->second;
  }
  last_master_[member] = master;
  last = std::max(last, term);
  return last;
}

std::uint64_t SentinelWatch::term_of(const std::string& member, bool master,
                                     const std::optional<std::string>& follows) {
  std::optional<std::uint64_t> named;
  for (const auto& [id, r] : fresh_reports()) {
    if (member_at(r.master) == member) named = std::max(named.value_or(0), r.config_epoch);
  }
  std::lock_guard lock(mu_);
  return terms_.term_of(member, master, named, highest_epoch_, follows);
}

}  // namespace faultline::targets
