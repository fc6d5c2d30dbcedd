#include "chaos/netns/fabric.hpp"

#include <set>
#include <sstream>

#include "chaos/netns/address.hpp"
#include "chaos/netns/command.hpp"
#include "chaos/netns/parallel.hpp"
#include "chaos/netns/traffic_control.hpp"

namespace faultline::netns {
namespace {

constexpr const char* kBridge = "br0";
constexpr const char* kMemberLink = "eth0";

// Kept in every member for the fabric's life, because the kernel runs
// conntrack and NAT in a namespace only while some rule needs them:
//  - a rule that mentions conntrack, in a chain nothing jumps to (it costs
//    packets nothing). Without it tracking would start with the first fault,
//    and connections already open would be picked up mid-stream with their
//    direction guessed from whichever packet came first: a connection A
//    opened could look like one B opened and escape `blocked`, and a new DNAT
//    rule would hijack (and break) connections already established.
//  - an empty nat chain. Without it, removing the last redirect would
//    unregister the NAT hooks, and connections already going through a proxy
//    would stop being translated and break instead of finishing.
constexpr const char* kAnchorTable =
    "table inet faultline_anchor {\n"
    "  chain conntrack_on {\n"
    "    ct state new accept\n"
    "  }\n"
    "  chain nat_on {\n"
    "    type nat hook output priority 100; policy accept;\n"
    "  }\n"
    "}\n";

std::string hub_link(std::size_t index) {
  return "veth" + std::to_string(index);
}

// No IPv6 link-local addresses on the fabric's links: it is IPv4 only, and
// without them nothing on it chatters (router solicitations, MLD, DAD).
std::string hub_batch(const std::vector<std::string>& hub_addresses,
                      const std::vector<std::string>& member_ns_paths) {
  std::ostringstream batch;
  batch << "link set lo up\n";
  batch << "link add " << kBridge << " type bridge\n";
  batch << "link set " << kBridge << " addrgenmode none\n";
  for (const auto& address : hub_addresses)
    batch << "addr add " << address << "/24 dev " << kBridge << "\n";
  batch << "link set " << kBridge << " up\n";
  for (std::size_t i = 0; i < member_ns_paths.size(); ++i) {
    const std::string link = hub_link(i);
    batch << "link add " << link << " type veth peer name " << kMemberLink << " netns "
          << member_ns_paths[i] << "\n";
    batch << "link set " << link << " addrgenmode none\n";
    batch << "link set " << link << " master " << kBridge << "\n";
    batch << "link set " << link << " up\n";
  }
  return batch.str();
}

std::string member_batch(const std::string& address) {
  std::ostringstream batch;
  batch << "link set lo up\n";
  batch << "link set " << kMemberLink << " addrgenmode none\n";
  batch << "addr add " << address << "/24 dev " << kMemberLink << "\n";
  batch << "link set " << kMemberLink << " up\n";
  return batch.str();
}

std::string check_options(const FabricOptions& options) {
  if (options.members.empty()) return "a fabric needs at least one member id";
  if (options.members.size() > kMaxMembers)
    return std::to_string(options.members.size()) + " members do not fit in one /24 (at most " +
           std::to_string(kMaxMembers) + ")";
  std::set<std::string> seen;
  for (const auto& id : options.members) {
    if (id.empty()) return "a member id is empty";
    if (!seen.insert(id).second) return "member id '" + id + "' is given twice";
  }
  return "";
}

}  // namespace

FabricResult Fabric::create(const FabricOptions& options) {
  FabricResult result;
  auto fail = [&](const std::string& why) {
    result.fabric.reset();
    result.error = "network fabric: " + why;
    return std::move(result);
  };
  if (auto error = check_options(options); !error.empty()) return fail(error);
  const auto subnet = Subnet24::parse(options.subnet);
  if (!subnet.ok()) return fail(subnet.error);

  std::unique_ptr<Fabric> fabric(new Fabric());
  fabric->command_timeout_ = options.command_timeout;
  fabric->subnet_ = subnet.subnet.cidr();
  fabric->client_address_ = subnet.subnet.host(kClientHost);
  fabric->observer_address_ = subnet.subnet.host(kObserverHost);
  fabric->proxy_address_ = subnet.subnet.host(kProxyHost);
  fabric->ids_ = options.members;

  auto hub = Namespace::create("hub");
  if (!hub.ok()) return fail(hub.error);
  fabric->hub_ = std::move(hub.ns);
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < options.members.size(); ++i) {
    auto created = Namespace::create("member " + options.members[i]);
    if (!created.ok()) return fail(created.error);
    paths.push_back(created.ns.path());
    fabric->members_.push_back(Member{options.members[i],
                                      subnet.subnet.host(kFirstMemberHost + static_cast<int>(i)),
                                      std::move(created.ns)});
  }

  // The hub creates every veth pair with the member's end already inside the
  // member's namespace, so no link ever exists in the caller's namespace.
  const auto hub_ran = run_command(
      &fabric->hub_, Command{{"ip", "-batch", "-"},
                             hub_batch({fabric->client_address_, fabric->observer_address_,
                                        fabric->proxy_address_},
                                       paths),
                             options.command_timeout});
  if (!hub_ran.ok()) return fail(hub_ran.error);

  std::vector<std::string> errors(fabric->members_.size());
  for_each_parallel(fabric->members_.size(), [&](std::size_t i) {
    const Member& m = fabric->members_[i];
    auto ran = run_command(
        &m.ns, Command{{"ip", "-batch", "-"}, member_batch(m.address), options.command_timeout});
    if (ran.ok())
      ran = run_command(&m.ns, Command{{"nft", "-f", "-"}, kAnchorTable, options.command_timeout});
    errors[i] = ran.error;
  });
  for (const auto& error : errors)
    if (!error.empty()) return fail(error);
  result.fabric = std::move(fabric);
  return result;
}

const Fabric::Member* Fabric::find(std::string_view id) const {
  for (const auto& m : members_)
    if (m.id == id) return &m;
  return nullptr;
}

std::string Fabric::unknown_member(std::string_view id) const {
  std::string known;
  for (const auto& m : members_) known += (known.empty() ? "" : ", ") + m.id;
  return "network fabric: no member '" + std::string(id) + "' (members: " + known + ")";
}

const Namespace* Fabric::member(std::string_view id) const {
  const Member* m = find(id);
  return m ? &m->ns : nullptr;
}

std::string Fabric::member_address(std::string_view id) const {
  const Member* m = find(id);
  return m ? m->address : std::string();
}

std::optional<std::string> Fabric::run_in_member(std::string_view id,
                                                 const std::vector<std::string>& argv,
                                                 std::string* out) const {
  const Member* m = find(id);
  if (!m) return unknown_member(id);
  auto ran = run_command(&m->ns, Command{argv, "", command_timeout_});
  if (out) *out = ran.out;
  if (!ran.ok()) return ran.error;
  return std::nullopt;
}

std::optional<std::string> Fabric::apply_rules(std::string_view id,
                                               const NamespacePolicy& policy) const {
  const Member* m = find(id);
  if (!m) return unknown_member(id);
  const auto rendered = render_rules(policy);
  if (!rendered.ok()) return "member '" + m->id + "': invalid rules: " + rendered.error;
  const auto ran =
      run_command(&m->ns, Command{{"nft", "-f", "-"}, rendered.text, command_timeout_});
  if (!ran.ok()) return ran.error;
  return std::nullopt;
}

std::optional<std::string> Fabric::set_bandwidth(std::string_view id,
                                                 std::uint64_t bytes_per_second) const {
  const Member* m = find(id);
  if (!m) return unknown_member(id);
  const auto argv = tbf_command(kMemberLink, bytes_per_second);
  if (!argv.ok()) return "member '" + m->id + "': " + argv.error;
  const auto ran = run_command(&m->ns, Command{argv.argv, argv.stdin_text, command_timeout_});
  if (!ran.ok()) return ran.error;
  return std::nullopt;
}

std::optional<std::string> Fabric::clear_bandwidth(std::string_view id) const {
  const Member* m = find(id);
  if (!m) return unknown_member(id);
  const auto tc = clear_qdisc_command(kMemberLink);
  const auto ran = run_command(&m->ns, Command{tc.argv, tc.stdin_text, command_timeout_});
  if (!ran.ok()) return ran.error;
  return std::nullopt;
}

}  // namespace faultline::netns
