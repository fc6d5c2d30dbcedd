// Namespace: the owner of one unnamed network namespace, held by a file
// descriptor and nothing else.
//
// The kernel frees a network namespace, with every link and nftables rule in
// it, when the last reference goes: the descriptors held here, a thread or
// process that entered it, a socket created inside it. Nothing is mounted or
// named under /run/netns, so a process that dies, even by SIGKILL, takes its
// namespaces with it. The descriptor is O_CLOEXEC: programs this process
// starts do not inherit it unless they enter the namespace on purpose.
//
// create() never moves the calling thread: a short-lived thread unshares into
// the new namespace, opens /proc/thread-self/ns/net and exits.
//
// Thread-safety: a Namespace is immutable after creation; its const members
// may be called from any thread. enter_on_this_thread() changes only the
// calling thread (setns), never the process.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace faultline::netns {

struct NamespaceResult;

class Namespace {
 public:
  // An empty owner (no namespace); valid() is false.
  Namespace() = default;
  ~Namespace();
  Namespace(Namespace&& other) noexcept;
  Namespace& operator=(Namespace&& other) noexcept;
  Namespace(const Namespace&) = delete;
  Namespace& operator=(const Namespace&) = delete;

  // Makes a new, empty network namespace (only `lo`, down). `name` is a
  // label for messages ("hub", "member c1"); the kernel never sees it.
  // Fails with EPERM without CAP_SYS_ADMIN.
  static NamespaceResult create(std::string name);
  // The namespace the calling thread is in now (an fd of it), e.g. the
  // host's, taken before the thread moves into a run's hub, so that sockets
  // can still be opened there later (run_on_thread_in).
  static NamespaceResult current(std::string name);

  bool valid() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  // The namespace's inode number on nsfs, as /proc/<pid>/ns/net shows it
  // ("net:[4026532281]"). Unique among live namespaces.
  std::uint64_t inode() const { return inode_; }

  // A path other programs accept where they take a namespace file
  // (`ip link ... netns PATH`, `nsenter --net=PATH`): /proc/<pid>/fd/<fd>.
  // It is valid while this process lives and this object holds the fd.
  std::string path() const;

  // setns(2) the calling thread into this namespace. Sockets the thread
  // creates afterwards live here. There is no way back except entering
  // another Namespace, so use a thread of its own. Returns the error, if any.
  std::optional<std::string> enter_on_this_thread() const;

 private:
  Namespace(int fd, std::string name, std::uint64_t inode);
  void reset();

  int fd_ = -1;
  std::string name_;
  std::uint64_t inode_ = 0;
};

struct NamespaceResult {
  Namespace ns;       // valid() when ok()
  std::string error;  // non-empty on failure: what failed and what to do
  bool ok() const { return error.empty(); }
};

// Runs `fn` on a new thread that has entered `ns`, and waits for it. Sockets
// `fn` creates stay in `ns` after the thread is gone, so this is how a caller
// opens a listener or a client socket inside a namespace without moving any
// of its own threads. Returns the setns error (then `fn` did not run).
std::optional<std::string> run_on_thread_in(const Namespace& ns, const std::function<void()>& fn);

// The network namespace inode of the calling thread (the host's, for a thread
// that never entered one), or 0 if /proc is unreadable.
std::uint64_t current_thread_namespace_inode();

}  // namespace faultline::netns
