#include "drills/targets/resp_connection.hpp"

#include <hiredis/sds.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace faultline::targets {
namespace {

RespValue copy_reply(const redisReply& r) {
  RespValue v;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      v.type = RespValue::Type::string;
      v.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      v.type = RespValue::Type::status;
      v.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      v.type = RespValue::Type::error;
      v.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      v.type = RespValue::Type::integer;
      v.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      v.type = RespValue::Type::array;
      for (std::size_t i = 0; i < r.elements; ++i) v.elements.push_back(copy_reply(*r.element[i]));
      break;
    default:
      v.type = RespValue::Type::nil;
      break;
  }
  return v;
}

// Rounded up, so that a poll that times out has reached the deadline.
int remaining_ms(RespDeadline deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<long long>(0, std::min<long long>(left.count(), 60'000)));
}

}  // namespace

std::string RespValue::error_code() const {
  if (type != Type::error) return {};
  return text.substr(0, text.find(' '));
}

RespConnection::~RespConnection() { close(); }

void RespConnection::close() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

RespConnection::Ready RespConnection::wait_for(short events, RespDeadline deadline) {
  while (true) {
    pollfd p{context_->fd, events, 0};
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    // POLLERR and POLLHUP: the read or write that follows reports it.
    if (n > 0) return Ready::yes;
    if (n == 0 && std::chrono::steady_clock::now() >= deadline) return Ready::timeout;
    if (n < 0 && errno != EINTR) return Ready::error;
  }
}

std::optional<std::string> RespConnection::connect(const std::string& host, int port, const std::string& source,
                                                   RespDeadline deadline) {
  close();
  host_ = host;
  port_ = port;
  context_ = redisConnectBindNonBlock(host.c_str(), port, source.empty() ? nullptr : source.c_str());
  if (context_ == nullptr) return "cannot allocate a connection to " + host + ":" + std::to_string(port);
  if (context_->err != 0) {
    std::string error = std::string(context_->errstr) + " (" + host + ":" + std::to_string(port) + ")";
    close();
    return error;
  }
  if (wait_for(POLLOUT, deadline) != Ready::yes) {
    close();
    return "connect to " + host + ":" + std::to_string(port) + " timed out";
  }
  int so_error = 0;
  socklen_t len = sizeof so_error;
  if (::getsockopt(context_->fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) {
    std::string error = "connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(so_error);
    close();
    return error;
  }
  return std::nullopt;
}

std::optional<RespValue> RespConnection::parsed_reply(bool& failed) {
  void* raw = nullptr;
  if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) {
    failed = true;
    return std::nullopt;
  }
  if (raw == nullptr) return std::nullopt;
  RespValue v = copy_reply(*static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return v;
}

RespResult RespConnection::run(const std::vector<std::vector<std::string>>& commands, RespDeadline deadline) {
  RespResult result;
  if (context_ == nullptr) {
    result.error = "not connected";
    return result;
  }
  for (const auto& args : commands) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lens.data()) != REDIS_OK) {
      result.error = "cannot format the command";
      close();
      return result;
    }
  }
  const std::string where = " (" + host_ + ":" + std::to_string(port_) + ")";
  auto fail = [&](RespResult::Outcome outcome, std::string error) {
    result.outcome = outcome;
    result.error = std::move(error) + where;
    close();
    return result;
  };
  const std::size_t queued = sdslen(context_->obuf);
  bool sent_any = false;
  int done = 0;
  while (done == 0) {
    const int written = redisBufferWrite(context_, &done);
    sent_any = sent_any || sdslen(context_->obuf) < queued || done != 0;
    if (written != REDIS_OK) {
      return fail(sent_any ? RespResult::Outcome::lost : RespResult::Outcome::not_sent,
                  std::string("send failed: ") + context_->errstr);
    }
    if (done == 0 && wait_for(POLLOUT, deadline) != Ready::yes) {
      return fail(sent_any ? RespResult::Outcome::lost : RespResult::Outcome::not_sent, "send timed out");
    }
  }
  while (result.replies.size() < commands.size()) {
    bool failed = false;
    if (auto reply = parsed_reply(failed)) {
      result.replies.push_back(std::move(*reply));
      continue;
    }
    if (failed) return fail(RespResult::Outcome::lost, std::string("bad reply: ") + context_->errstr);
    if (wait_for(POLLIN, deadline) != Ready::yes) return fail(RespResult::Outcome::lost, "no reply before the deadline");
    if (redisBufferRead(context_) != REDIS_OK) {
      return fail(RespResult::Outcome::lost, std::string("connection lost: ") + context_->errstr);
    }
  }
  result.outcome = RespResult::Outcome::reply;
  return result;
}

std::optional<RespValue> RespConnection::next_message(RespDeadline deadline) {
  while (context_ != nullptr) {
    bool failed = false;
    if (auto reply = parsed_reply(failed)) return reply;
    if (failed) break;
    const Ready ready = wait_for(POLLIN, deadline);
    if (ready == Ready::timeout) return std::nullopt;
    if (ready == Ready::error) break;
    if (redisBufferRead(context_) != REDIS_OK) break;
  }
  close();
  return std::nullopt;
}

}  // namespace faultline::targets
