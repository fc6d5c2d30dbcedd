// The nftables rules of one member namespace, rendered from a policy by a pure
// function and applied as one `nft -f -` transaction.
//
// Every rule sits in the *sender's* namespace (member A), in one table,
// `table inet faultline`, that the rendered text replaces as a whole: it
// creates the table if missing, deletes it and declares it anew in the same
// transaction, so no packet ever sees half a policy. An empty policy renders
// to the create-and-delete pair alone, which removes the table.
//
// What a LinkFault means, for A -> B (directed):
//  - blocked: what A sends on connections A initiated toward B is dropped,
//    matched by `ct original ip daddr B` in A's output hook, so it also
//    catches connections DNATed to a proxy (the original destination is
//    still B). A's answers on connections B initiated are not dropped. For
//    TCP: A can neither open nor use connections to B; B can still open
//    connections to A and gets A's answers. A two-way partition blocks both
//    directions. UDP and ICMP follow the same rule: A's own flows toward B
//    die, A's replies to B's flows pass.
//  - severed (set by split_by_member when B -> A is blocked too): also what
//    B sends on connections A initiated is dropped on arrival, in A's input
//    hook (`ct original ip daddr B`, which matches replies of A's own
//    connections only, DNATed or not). Without it a two-way partition still
//    lets the acceptor's answers through to the initiator until TCP stalls
//    for want of ACKs — enough for a server that streams to its clients
//    (etcd's peers read each other's Raft messages as long responses) to
//    reach across the cut.
//  - reset: A's TCP connections toward B are answered with a TCP reset
//    (`reject with tcp reset`): a new connect() fails at once with
//    ECONNREFUSED, an established connection is reset on A's next packet.
//    Only A's socket learns of it; B's side stays open until B sends and A's
//    kernel, which no longer knows the connection, answers with a reset.
//    Other protocols are not affected. (The reset is made in A's output hook
//    and delivered to A locally, looking as if B had sent it.)
//  - loss p: each packet A sends to B is dropped with probability p
//    (`numgen random`), whether addressed to B (`ip daddr B`, replies
//    included) or DNATed away from B (`ct original ip daddr B`).
// Client links are the same three between the hub's client address C and
// A: A -> C in A's output hook, C -> A in A's input hook (connections C
// initiated are matched by `ct original ip saddr C`). The observer's address
// is never named, so the observer stays outside every fault.
// A Redirect DNATs A's new TCP connections to B:port to a proxy (nat output
// hook, priority -100): A's socket still sees B:port as its peer. NAT is
// decided on a connection's first packet only: connections established
// before the rule keep going to B, and connections going through the proxy
// keep doing so after the rule is removed (the Fabric keeps NAT hooks on).
//
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace faultline::netns {

// What one directed link suffers.
struct LinkFault {
  bool blocked = false;
  bool reset = false;
  double loss = 0.0;  // probability in [0, 1] that a packet is dropped
  bool severed = false;  // with blocked: B -> A is blocked too (see above)

  bool empty() const { return !blocked && !reset && loss == 0.0; }
  friend bool operator==(const LinkFault&, const LinkFault&) = default;
};

// A's TCP connections to peer_address:peer_port go to proxy_address:proxy_port.
struct Redirect {
  std::string peer_address;
  std::uint16_t peer_port = 0;
  std::string proxy_address;
  std::uint16_t proxy_port = 0;
  friend bool operator==(const Redirect&, const Redirect&) = default;
};

// The rules of one member namespace (the sender A). Addresses are dotted IPv4.
struct NamespacePolicy {
  std::map<std::string, LinkFault> to_peers;  // destination address -> fault of A -> it
  std::string client_address;  // the hub's client address; required when a client link is set
  LinkFault to_client;         // A -> the hub's clients
  LinkFault from_client;       // the hub's clients -> A
  std::vector<Redirect> redirects;

  bool empty() const;
  friend bool operator==(const NamespacePolicy&, const NamespacePolicy&) = default;
};

struct RenderedRules {
  std::string text;   // input for `nft -f -`
  std::string error;  // non-empty when the policy is invalid (then `text` is empty)
  bool ok() const { return error.empty(); }
};

inline constexpr const char* kTableName = "faultline";
// Loss is drawn as `numgen random mod kLossScale < round(p * kLossScale)`,
// kept within 1 .. kLossScale - 1 for 0 < p < 1; p = 1 is a plain drop.
inline constexpr std::uint32_t kLossScale = 1'000'000;

RenderedRules render_rules(const NamespacePolicy& policy);

}  // namespace faultline::netns
