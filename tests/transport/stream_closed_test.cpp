// What a follower learns of a leader whose process is gone, in process on
// loopback: RaftListener::on_stream_closed reports a peer that closed or
// reset its stream (never a replaced stream, a stray without a hello, or the
// listener's own stop), and net::probe_port tells a port where something
// listens from one where nothing does.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <mutex>
#include <vector>

#include "cluster/coordinator/raft_listener.hpp"
#include "cluster/coordinator/raft_stream.hpp"
#include "cluster/net/socket.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::coordinator {
namespace {

using namespace std::chrono_literals;
using testing::wait_until;

const net::Endpoint kLoopbackAnyPort{"127.0.0.1", 0};

struct ClosedStreams {
  std::mutex mu;
  std::vector<std::uint32_t> peers;
  RaftListener::Closed callback() {
    return [this](std::uint32_t peer) {
      std::lock_guard lock(mu);
      peers.push_back(peer);
    };
  }
  std::vector<std::uint32_t> seen() {
    std::lock_guard lock(mu);
    return peers;
  }
};

struct ClosingListener {
  ClosedStreams reports;
  RaftListener listener{2, {{1, "c1"}, {3, "c3"}}, 300ms, [](std::vector<raft::Message>&) {}, "test: "};
  ClosingListener() {
    listener.on_stream_closed(reports.callback());
    std::string error;
    EXPECT_TRUE(listener.start(kLoopbackAnyPort, error)) << error;
  }
  // A connection from `from` that has said its hello and been taken.
  net::Fd stream_from(std::uint32_t from, std::size_t open_after) {
    net::WakeFd wake;
    std::string error;
    net::Fd fd = net::connect_tcp(listener.bound(), 1s, wake, error);
    EXPECT_TRUE(fd) << error;
    const std::string hello = hello_frame(Hello{from, 2, ""});
    EXPECT_EQ(::send(fd.get(), hello.data(), hello.size(), MSG_NOSIGNAL), static_cast<ssize_t>(hello.size()));
    EXPECT_TRUE(wait_until([&] { return listener.open_connections() == open_after; }, 5s));
    return fd;
  }
};

TEST(StreamClosed, APeerThatClosesOrResetsItsStreamIsReported) {
  ClosingListener l;
  net::Fd closed = l.stream_from(1, 1);
  closed.reset();  // FIN
  ASSERT_TRUE(wait_until([&] { return l.reports.seen().size() == 1; }, 5s));
  EXPECT_EQ(l.reports.seen(), (std::vector<std::uint32_t>{1}));
  net::Fd reset = l.stream_from(3, 1);
  const linger abort_now{1, 0};  // close with an RST, as a socket with unread data does
  ASSERT_EQ(::setsockopt(reset.get(), SOL_SOCKET, SO_LINGER, &abort_now, sizeof(abort_now)), 0);
  reset.reset();
  ASSERT_TRUE(wait_until([&] { return l.reports.seen().size() == 2; }, 5s));
  EXPECT_EQ(l.reports.seen(), (std::vector<std::uint32_t>{1, 3}));
}

TEST(StreamClosed, NotAReplacedStreamAStrayOrTheListenersOwnStop) {
  ClosingListener l;
  net::Fd first = l.stream_from(1, 1);
  net::Fd second = l.stream_from(1, 1);  // takes over: the first one's reader ends
  {
    net::WakeFd wake;
    std::string error;
    net::Fd stray = net::connect_tcp(l.listener.bound(), 1s, wake, error);  // no hello
    ASSERT_TRUE(stray) << error;
    ASSERT_TRUE(wait_until([&] { return l.listener.open_connections() == 2; }, 5s));
  }
  ASSERT_TRUE(wait_until([&] { return l.listener.open_connections() == 1; }, 5s));
  l.listener.stop();  // ends the second stream from this side
  EXPECT_TRUE(l.reports.seen().empty());
}

TEST(PortProbe, AcceptedWhereSomethingListensRefusedWhereNothingDoes) {
  net::WakeFd wake;
  net::Endpoint bound;
  std::string error;
  net::Fd listening = net::listen_tcp(kLoopbackAnyPort, bound, error);
  ASSERT_TRUE(listening) << error;
  EXPECT_EQ(net::probe_port(bound, 1s, wake), net::PortProbe::accepted);
  listening.reset();
  EXPECT_EQ(net::probe_port(bound, 1s, wake), net::PortProbe::refused);
}

}  // namespace
}  // namespace faultline::coordinator
