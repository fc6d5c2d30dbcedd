// A port reserved for a member excludes every other program, yet lets the
// member bind it whether it sets SO_REUSEPORT (ours) or only SO_REUSEADDR
// (Go's listeners: etcd).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "chaos/network/port_reservation.hpp"

namespace faultline {
namespace {

// Binds 127.0.0.1:port with the given options; the socket fd, or -1.
int bind_with(int port, bool reuse_address) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  if (reuse_address) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(PortReservation, ExcludesAPlainBindAndAdmitsAReuseAddressListener) {
  const auto reserved = network::PortReservation::reserve("127.0.0.1");
  ASSERT_TRUE(reserved.ok()) << reserved.error();
  EXPECT_EQ(bind_with(reserved.port(), false), -1) << "a program that does not ask to share took the port";

  const int member = bind_with(reserved.port(), true);
  ASSERT_GE(member, 0) << "a SO_REUSEADDR listener (etcd) could not bind its reserved port";
  ASSERT_EQ(::listen(member, 4), 0);
  // Once the member listens, nobody else binds the port, asking or not.
  EXPECT_EQ(bind_with(reserved.port(), true), -1);
  ::close(member);
  // The reservation outlives the member: its restart binds again.
  const int restarted = bind_with(reserved.port(), true);
  EXPECT_GE(restarted, 0);
  if (restarted >= 0) ::close(restarted);
}

}  // namespace
}  // namespace faultline
