// netns_fabric_holder: builds a fabric with every kind of state in it (rules,
// a redirect, a tbf qdisc, a listening socket inside a member), prints the
// inode numbers of its namespaces on one line, then waits on stdin. The
// cleanup test SIGKILLs it and checks that the kernel freed everything.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "chaos/netns/fabric_policy.hpp"
#include "tests/netns/netns_support.hpp"

using namespace faultline::netns;

int main() {
  auto created = Fabric::create({{"a", "b", "c"}});
  if (!created.ok()) {
    std::cerr << created.error << "\n";
    return 3;
  }
  const Fabric& fabric = *created.fabric;
  auto policy = partition(fabric.member_ids(), {{"a", "b"}, {"c"}});
  policy.links[{"a", "b"}].loss = 0.1;
  policy.clients_to["c"].reset = true;
  policy.redirects.push_back(MemberRedirect{"b", "a", 7000, 40000, ""});
  if (auto error = apply_policy(fabric, policy)) {
    std::cerr << *error << "\n";
    return 3;
  }
  if (auto error = fabric.set_bandwidth("a", 1'000'000)) {
    std::cerr << *error << "\n";
    return 3;
  }
  // A socket holds its namespace too; it must not outlive us either.
  const int listener = test::tcp_listen(*fabric.member("b"), fabric.member_address("b"));
  if (listener < 0) return 3;

  std::cout << fabric.hub().inode();
  for (const auto& id : fabric.member_ids()) std::cout << " " << fabric.member(id)->inode();
  std::cout << std::endl;
  char byte;
  while (::read(STDIN_FILENO, &byte, 1) > 0) {
  }
  return 0;
}
