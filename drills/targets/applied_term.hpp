// Leadership claims of members whose reported term is the term of their
// last applied entry, not their current Raft term: etcd 3.4's raftTerm
// (EtcdServer::Term() is set as entries are applied). Right after winning
// an election such a member names itself leader while still reporting the
// term of the leader before it, until it applies the first entry of its own
// term (its first commit, one round trip later). Counted as it comes, that
// moment would put two leaders in one term — the old one's last reports and
// the new one's first — a violation of etcd's that never happened.
//
// So a claim counts from the member's first report of a term above every
// term it reported while not leading: until then it is reported as a
// candidate (elected, not yet serving). A real split — two members leading
// in the same term — still shows once both have applied entries of it.
//
// Thread-safety: role() may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace faultline::targets {

class AppliedTermClaims {
 public:
  // "leader", "candidate" or "follower" for `member`'s report.
  std::string role(const std::string& member, bool names_itself_leader, std::uint64_t term);

 private:
  std::mutex mu_;
  std::map<std::string, std::uint64_t> term_not_leading_;  // highest term reported while not leading
};

}  // namespace faultline::targets
