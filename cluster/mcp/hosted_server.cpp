#include "cluster/mcp/hosted_server.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "cluster/mcp/protocol.hpp"

namespace faultline::mcp {
namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(5000);
constexpr auto kHealthyLife = std::chrono::seconds(10);
constexpr auto kStopGrace = std::chrono::milliseconds(500);
constexpr int kPollMs = 100;
// The TypeScript SDK caps a stdio line at 10 MiB; so does this reader.
constexpr std::size_t kMaxLine = 10u << 20;

}  // namespace

HostedServer::HostedServer(std::string name, ChildSpec spec, std::string log_prefix)
    : name_(std::move(name)), spec_(std::move(spec)), log_prefix_(std::move(log_prefix)) {}

HostedServer::~HostedServer() { stop(); }

void HostedServer::start() {
  supervisor_ = std::thread([this] { supervise(); });
}

void HostedServer::stop() {
  if (stopping_.exchange(true)) {
    if (supervisor_.joinable()) supervisor_.join();
    return;
  }
  {
    std::lock_guard lock(mu_);
  }
  cv_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
}

bool HostedServer::wait_ready(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return ready_.load() || stopping_.load(); }) && ready_.load();
}

Json HostedServer::initialize_result() const {
  std::lock_guard lock(mu_);
  return init_result_;
}

void HostedServer::supervise() {
  auto backoff = kFirstBackoff;
  while (!stopping_.load()) {
    const auto began = std::chrono::steady_clock::now();
    run_once();
    if (stopping_.load()) break;
    if (std::chrono::steady_clock::now() - began >= kHealthyLife) backoff = kFirstBackoff;
    ++restarts_;
    std::cerr << log_prefix_ << "MCP server " << name_ << " will be restarted in " << backoff.count() << " ms\n";
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, backoff, [this] { return stopping_.load(); });
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

void HostedServer::run_once() {
  std::string error;
  {
    std::lock_guard lock(write_mu_);
    if (!child_.start(spec_, error)) {
      std::cerr << log_prefix_ << "MCP server " << name_ << " cannot start: " << error << "\n";
      return;
    }
  }
  pid_ = child_.pid();
  std::cerr << log_prefix_ << "MCP server " << name_ << " started (pid " << child_.pid() << ")\n";
  Json init;
  {
    std::lock_guard lock(mu_);
    init_id_ = next_id_++;
    init = request(init_id_, "initialize",
                   Json{{"protocolVersion", "2025-06-18"},
                        {"capabilities", Json::object()},
                        {"clientInfo", Json{{"name", "faultline-node"}, {"version", "1"}}}});
  }
  send(init);
  std::string buffer;
  char chunk[65536];
  std::string why = "its standard output closed";
  while (!stopping_.load()) {
    pollfd p{child_.out_fd(), POLLIN, 0};
    const int r = ::poll(&p, 1, kPollMs);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;
    const ssize_t n = ::read(child_.out_fd(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (auto nl = buffer.find('\n', start); nl != std::string::npos; nl = buffer.find('\n', start)) {
      std::string line = buffer.substr(start, nl - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) handle_line(line);
      start = nl + 1;
    }
    buffer.erase(0, start);
    if (buffer.size() > kMaxLine) {
      why = "it wrote a line longer than 10 MiB";
      break;
    }
  }
  ready_ = false;
  pid_ = -1;
  std::string exit;
  {
    std::lock_guard lock(write_mu_);
    if (stopping_.load()) {
      child_.stop(kStopGrace);
      exit = child_.kill_and_reap();
    } else {
      exit = child_.kill_and_reap();
      child_.stop(std::chrono::milliseconds(0));
    }
  }
  fail_pending("MCP server " + name_ + " exited");
  if (!stopping_.load()) {
    std::cerr << log_prefix_ << "MCP server " << name_ << " exited (" << (exit.empty() ? "unknown" : exit)
              << "; " << why << ")\n";
  }
}

void HostedServer::handle_line(const std::string& line) {
  bool parse_error = false;
  const Json value = Json::parse(line, nullptr, false);
  parse_error = value.is_discarded();
  const Message m = parse_error ? Message{} : classify(value);
  if (parse_error || m.kind == Kind::invalid) {
    std::cerr << log_prefix_ << "MCP server " << name_ << " wrote a line that is not a JSON-RPC message: "
              << line.substr(0, 200) << "\n";
    return;
  }
  if (m.kind == Kind::request) {
    send(error(m.id, kMethodNotFound, "the node does not serve " + m.method + " to hosted servers"));
    return;
  }
  if (m.kind == Kind::notification) return;
  if (!m.id.is_number_integer()) return;
  const std::int64_t id = m.id.get<std::int64_t>();
  std::unique_lock lock(mu_);
  if (id == init_id_) {
    init_id_ = 0;
    if (value.contains("result")) {
      init_result_ = value["result"];
      lock.unlock();
      send(notification("notifications/initialized"));
      ready_ = true;
      std::cerr << log_prefix_ << "MCP server " << name_ << " ready\n";
      lock.lock();
      cv_.notify_all();
    } else {
      std::cerr << log_prefix_ << "MCP server " << name_ << " refused initialize: " << value.dump() << "\n";
    }
    return;
  }
  const auto it = pending_.find(id);
  if (it == pending_.end()) return;  // its caller gave up
  it->second->done = true;
  it->second->message = value;
  pending_.erase(it);
  cv_.notify_all();
}

bool HostedServer::send(const Json& message) {
  std::lock_guard lock(write_mu_);
  if (child_.pid() <= 0) return false;
  return child_.write_all(message.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
}

bool HostedServer::notify(const std::string& method, const Json& params) {
  if (!ready_.load()) return false;
  return send(notification(method, params));
}

void HostedServer::fail_pending(const std::string& why) {
  std::lock_guard lock(mu_);
  for (auto& [id, waiter] : pending_) {
    (void)id;
    waiter->done = true;
    waiter->message = Json();
  }
  pending_.clear();
  (void)why;
  cv_.notify_all();
}

CallResult HostedServer::call(const std::string& method, const Json& params, std::chrono::milliseconds timeout) {
  CallResult out;
  if (!ready_.load()) {
    out.error = "MCP server " + name_ + " is not running (starting or restarting)";
    return out;
  }
  auto waiter = std::make_shared<Waiter>();
  std::int64_t id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    pending_[id] = waiter;
  }
  if (!send(request(id, method, params))) {
    std::lock_guard lock(mu_);
    pending_.erase(id);
    out.error = "MCP server " + name_ + " is not running";
    return out;
  }
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return waiter->done || stopping_.load(); });
  if (!waiter->done) {
    pending_.erase(id);
    out.error = "MCP server " + name_ + " did not answer " + method + " within " + std::to_string(timeout.count()) +
                " ms";
    return out;
  }
  if (waiter->message.is_null()) {
    out.error = "MCP server " + name_ + " exited before answering " + method;
    return out;
  }
  out.ok = true;
  out.message = std::move(waiter->message);
  return out;
}

}  // namespace faultline::mcp
