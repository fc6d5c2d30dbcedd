// The Raft stream's sender (RaftLink) and receiver (RaftListener) in one
// process on loopback, with short timeouts: delivery in order, reconnection
// after the peer restarts, a stalled peer abandoned without blocking the
// sender's callers, and every kind of bad connection closed with a log line.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <mutex>
#include <vector>

#include "cluster/coordinator/raft_link.hpp"
#include "cluster/coordinator/raft_listener.hpp"
#include "cluster/net/frame.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::coordinator {
namespace {

using namespace std::chrono_literals;
using testing::wait_until;

constexpr LinkTiming kFast{500ms, 200ms, 10ms};
constexpr auto kHelloTimeout = 300ms;
const net::Endpoint kAnyLoopbackPort{"127.0.0.1", 0};

raft::Message append(std::uint32_t from, std::uint32_t to, raft::Index prev_index, std::size_t bytes = 0) {
  raft::Message message;
  message.from = from;
  message.to = to;
  message.term = 1;
  raft::AppendRequest body;
  body.prev_index = prev_index;
  if (bytes > 0) body.entries.push_back(raft::Entry{1, prev_index + 1, std::string(bytes, 'x')});
  message.body = body;
  return message;
}

// What a listener delivered, for the test thread to poll.
struct Inbox {
  std::mutex mu;
  std::vector<raft::Message> messages;
  std::size_t batches = 0;

  RaftListener::Deliver deliver() {
    return [this](std::vector<raft::Message>& batch) {
      std::lock_guard lock(mu);
      ++batches;
      for (auto& m : batch) messages.push_back(std::move(m));
    };
  }
  std::size_t size() {
    std::lock_guard lock(mu);
    return messages.size();
  }
};

// A raw client socket for sending what a good sender never would.
class RawClient {
 public:
  explicit RawClient(const net::Endpoint& to) {
    std::string error;
    fd_ = net::connect_tcp(to, 1s, wake_, error);
    EXPECT_TRUE(fd_) << error;
  }
  void send(const std::string& bytes) {
    ASSERT_EQ(::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }
  void finish_writing() { ::shutdown(fd_.get(), SHUT_WR); }
  // True once the other end has closed the connection.
  bool closed_by_peer(std::chrono::milliseconds timeout) {
    return wait_until(
        [&] {
          pollfd p{fd_.get(), POLLIN, 0};
          if (::poll(&p, 1, 0) <= 0) return false;
          char byte = 0;
          return ::recv(fd_.get(), &byte, 1, MSG_DONTWAIT) <= 0;
        },
        timeout);
  }

 private:
  net::WakeFd wake_;
  net::Fd fd_;
};

std::string frame_of(const std::string& payload) {
  std::string out;
  net::append_frame(out, payload);
  return out;
}

// With a cluster token, a listener takes the streams whose hello carries
// it and closes the others before reading a message.
TEST(RaftLink, AListenerWithATokenTakesOnlyHellosThatCarryIt) {
  const std::string token = "0123456789abcdef0123456789abcdef";
  Inbox inbox;
  RaftListener listener(2, {{1, "c1"}}, kHelloTimeout, inbox.deliver(), "test: ", token);
  std::string error;
  ASSERT_TRUE(listener.start(kAnyLoopbackPort, error)) << error;
  {
    RawClient without(listener.bound());
    without.send(hello_frame(Hello{1, 2, ""}) + message_frame(append(1, 2, 1)));
    EXPECT_TRUE(without.closed_by_peer(2s));
    RawClient wrong(listener.bound());
    wrong.send(hello_frame(Hello{1, 2, "fedcba9876543210fedcba9876543210"}) + message_frame(append(1, 2, 1)));
    EXPECT_TRUE(wrong.closed_by_peer(2s));
  }
  EXPECT_EQ(inbox.size(), 0u);
  RaftLink link(Hello{1, 2, token}, "c2", listener.bound(), kFast, "test: ");
  link.enqueue(message_frame(append(1, 2, 7)));
  ASSERT_TRUE(wait_until([&] { return inbox.size() == 1; }, 5s));
  std::lock_guard lock(inbox.mu);
  EXPECT_EQ(inbox.messages[0], append(1, 2, 7));
}

TEST(RaftLink, DeliversEveryMessageInOrderOnOneConnection) {
  Inbox inbox;
  RaftListener listener(2, {{1, "c1"}}, kHelloTimeout, inbox.deliver(), "test: ");
  std::string error;
  ASSERT_TRUE(listener.start(kAnyLoopbackPort, error)) << error;
  RaftLink link(Hello{1, 2, ""}, "c2", listener.bound(), kFast, "test: ");
  constexpr int kMessages = 500;
  for (int i = 0; i < kMessages; ++i) link.enqueue(message_frame(append(1, 2, static_cast<raft::Index>(i))));
  ASSERT_TRUE(wait_until([&] { return inbox.size() == kMessages; }, 10s)) << inbox.size();
  std::lock_guard lock(inbox.mu);
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ(inbox.messages[static_cast<std::size_t>(i)], append(1, 2, static_cast<raft::Index>(i))) << i;
  }
  // Frames read together are stepped together.
  EXPECT_LT(inbox.batches, static_cast<std::size_t>(kMessages));
  EXPECT_EQ(link.stats().connections, 1u);
  EXPECT_EQ(link.stats().frames_dropped, 0u);
}

TEST(RaftLink, ReconnectsWhenThePeerComesBackOnItsPort) {
  Inbox first;
  auto listener = std::make_unique<RaftListener>(2, std::map<std::uint32_t, std::string>{{1, "c1"}},
                                                 kHelloTimeout, first.deliver(), "test: ");
  std::string error;
  ASSERT_TRUE(listener->start(kAnyLoopbackPort, error)) << error;
  const net::Endpoint port = listener->bound();
  RaftLink link(Hello{1, 2, ""}, "c2", port, kFast, "test: ");
  link.enqueue(message_frame(append(1, 2, 1)));
  ASSERT_TRUE(wait_until([&] { return first.size() == 1; }, 5s));

  listener.reset();  // the peer goes away: its end of the stream closes
  Inbox second;
  RaftListener again(2, {{1, "c1"}}, kHelloTimeout, second.deliver(), "test: ");
  ASSERT_TRUE(again.start(port, error)) << error;
  raft::Index next = 2;
  // Raft retries by itself; so does this loop, once a heartbeat.
  ASSERT_TRUE(wait_until(
      [&] {
        link.enqueue(message_frame(append(1, 2, next++)));
        return second.size() > 0;
      },
      5s));
  EXPECT_GE(link.stats().connections, 2u);
}

TEST(RaftLink, AbandonsAStalledPeerAndNeverBlocksItsCallers) {
  // A peer that accepts connections but never reads: a paused process.
  net::Endpoint bound;
  std::string error;
  net::Fd stalled = net::listen_tcp(kAnyLoopbackPort, bound, error);
  ASSERT_TRUE(stalled) << error;
  ::fcntl(stalled.get(), F_SETFL, O_NONBLOCK);
  int accepted = 0;
  std::vector<net::Fd> held;  // kept open and never read
  RaftLink link(Hello{1, 2, ""}, "c2", bound, kFast, "test: ");
  std::chrono::nanoseconds slowest_enqueue{0};
  raft::Index next = 0;
  ::testing::internal::CaptureStderr();
  const bool reconnected = wait_until(
      [&] {
        const auto t0 = std::chrono::steady_clock::now();
        link.enqueue(message_frame(append(1, 2, next++, 64 * 1024)));
        slowest_enqueue = std::max(slowest_enqueue, std::chrono::steady_clock::now() - t0);
        while (true) {
          net::Fd fd(::accept4(stalled.get(), nullptr, nullptr, SOCK_CLOEXEC));
          if (!fd) break;
          ++accepted;
          held.push_back(std::move(fd));
        }
        return accepted >= 2;
      },
      20s);
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(reconnected) << "accepted " << accepted << ", stats " << link.stats().connections;
  EXPECT_GT(link.stats().frames_dropped, 0u);
  EXPECT_NE(log.find("raft link to c2 (" + bound.to_string() + ") lost: no write progress for 200 ms"),
            std::string::npos)
      << log;
  // A generous bound: enqueue takes a lock and a push, never a write.
  EXPECT_LT(slowest_enqueue, 100ms);
}

class BadConnection : public ::testing::Test {
 protected:
  void SetUp() override {
    listener_ = std::make_unique<RaftListener>(2, std::map<std::uint32_t, std::string>{{1, "c1"}, {3, "c3"}},
                                               kHelloTimeout, inbox_.deliver(), "test: ");
    std::string error;
    ASSERT_TRUE(listener_->start(kAnyLoopbackPort, error)) << error;
    ::testing::internal::CaptureStderr();
  }
  // Expects `client` to be closed by the listener, with `reason` logged.
  void expect_closed(RawClient& client, const std::string& reason) {
    const bool closed = client.closed_by_peer(5s);
    listener_->stop();  // joins the readers: every log line is written
    const std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_TRUE(closed);
    EXPECT_NE(log.find("test: raft connection from 127.0.0.1:"), std::string::npos) << log;
    EXPECT_NE(log.find(reason), std::string::npos) << log;
  }

  Inbox inbox_;
  std::unique_ptr<RaftListener> listener_;
};

TEST_F(BadConnection, NotAHello) {
  RawClient client(listener_->bound());
  client.send(frame_of("GET / HTTP/1.1"));
  expect_closed(client, "closed: the first frame is not a faultline-raft hello");
}

TEST_F(BadConnection, AHelloForAnotherMember) {
  RawClient client(listener_->bound());
  client.send(hello_frame(Hello{1, 5, ""}));
  expect_closed(client, "closed: hello for member 5, but this is member 2");
}

TEST_F(BadConnection, AHelloFromAStranger) {
  RawClient client(listener_->bound());
  client.send(hello_frame(Hello{9, 2, ""}));
  expect_closed(client, "closed: hello from member 9, not a peer of this group");
}

TEST_F(BadConnection, NoHelloInTime) {
  RawClient client(listener_->bound());
  expect_closed(client, "closed: no hello within 300 ms");
}

TEST_F(BadConnection, AnOversizedFrame) {
  RawClient client(listener_->bound());
  client.send(hello_frame(Hello{1, 2, ""}) + std::string("\xff\xff\xff\xff", 4));
  expect_closed(client, "(c1) closed: frame of 4294967295 bytes exceeds the limit");
}

TEST_F(BadConnection, AFrameThatIsNotAMessageAfterOneThatIs) {
  RawClient client(listener_->bound());
  client.send(hello_frame(Hello{1, 2, ""}) + message_frame(append(1, 2, 4)) + frame_of("{\"type\":\"nonsense\"}"));
  expect_closed(client, "(c1) closed: a frame that is not a Raft message");
  // What came before the bad frame was sound and was delivered.
  ASSERT_EQ(inbox_.size(), 1u);
  EXPECT_EQ(inbox_.messages[0], append(1, 2, 4));
}

TEST_F(BadConnection, AMessageFromAnotherSender) {
  RawClient client(listener_->bound());
  client.send(hello_frame(Hello{1, 2, ""}) + message_frame(append(3, 2, 4)));
  expect_closed(client, "(c1) closed: a message from 3 to 2 on the stream from 1 to 2");
  EXPECT_EQ(inbox_.size(), 0u);
}

TEST_F(BadConnection, AStreamTornInsideAFrame) {
  RawClient client(listener_->bound());
  const std::string message = message_frame(append(1, 2, 4));
  client.send(hello_frame(Hello{1, 2, ""}) + message.substr(0, message.size() - 3));
  client.finish_writing();
  expect_closed(client, "(c1) closed: stream torn inside a frame");
  EXPECT_EQ(inbox_.size(), 0u);
}

TEST_F(BadConnection, AnOlderStreamOfAPeerThatOpenedANewerOne) {
  RawClient older(listener_->bound());
  older.send(hello_frame(Hello{1, 2, ""}));
  RawClient newer(listener_->bound());
  // The older stream is only replaced once its own hello was read.
  older.send(message_frame(append(1, 2, 1)));
  ASSERT_TRUE(wait_until([&] { return inbox_.size() == 1; }, 5s));
  newer.send(hello_frame(Hello{1, 2, ""}) + message_frame(append(1, 2, 2)));
  const bool closed = older.closed_by_peer(5s);
  const bool delivered = wait_until([&] { return inbox_.size() == 2; }, 5s);
  // The older reader has logged and finished, the newer one still reads.
  const bool one_left = wait_until([&] { return listener_->open_connections() == 1; }, 5s);
  listener_->stop();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(closed);
  EXPECT_TRUE(delivered);
  EXPECT_TRUE(one_left);
  EXPECT_NE(log.find("raft stream from c1 (127.0.0.1:"), std::string::npos) << log;
  EXPECT_NE(log.find("replaced by a newer one"), std::string::npos) << log;
}

}  // namespace
}  // namespace faultline::coordinator
