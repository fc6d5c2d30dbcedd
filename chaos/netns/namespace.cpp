#include "chaos/netns/namespace.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

namespace faultline::netns {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

std::string privilege_hint(int err) {
  if (err == EPERM) return " (network namespaces need root or CAP_SYS_ADMIN)";
  return "";
}

}  // namespace

Namespace::Namespace(int fd, std::string name, std::uint64_t inode)
    : fd_(fd), name_(std::move(name)), inode_(inode) {}

Namespace::~Namespace() {
  reset();
}

Namespace::Namespace(Namespace&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      name_(std::move(other.name_)),
      inode_(std::exchange(other.inode_, 0)) {}

Namespace& Namespace::operator=(Namespace&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    name_ = std::move(other.name_);
    inode_ = std::exchange(other.inode_, 0);
  }
  return *this;
}

void Namespace::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  inode_ = 0;
}

NamespaceResult Namespace::current(std::string name) {
  NamespaceResult result;
  const int fd = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    result.error = name + ": cannot open /proc/thread-self/ns/net: " + errno_text(errno);
    return result;
  }
  struct stat st {};
  ::fstat(fd, &st);
  result.ns = Namespace(fd, std::move(name), static_cast<std::uint64_t>(st.st_ino));
  return result;
}

NamespaceResult Namespace::create(std::string name) {
  int fd = -1;
  int err = 0;
  const char* step = "";
  // The thread ends right after opening the namespace, so it never runs
  // anything else inside it and the caller's thread is untouched.
  std::thread maker([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      err = errno;
      step = "unshare(CLONE_NEWNET)";
      return;
    }
    fd = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      err = errno;
      step = "open(/proc/thread-self/ns/net)";
    }
  });
  maker.join();

  NamespaceResult result;
  if (fd < 0) {
    result.error =
        "namespace '" + name + "': " + step + " failed: " + errno_text(err) + privilege_hint(err);
    return result;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    err = errno;
    ::close(fd);
    result.error = "namespace '" + name + "': fstat of its descriptor failed: " + errno_text(err);
    return result;
  }
  result.ns = Namespace(fd, std::move(name), static_cast<std::uint64_t>(st.st_ino));
  return result;
}

std::string Namespace::path() const {
  return "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fd_);
}

std::optional<std::string> Namespace::enter_on_this_thread() const {
  if (fd_ < 0) return "namespace '" + name_ + "': cannot enter, it holds no namespace";
  if (::setns(fd_, CLONE_NEWNET) != 0) {
    const int err = errno;
    return "namespace '" + name_ + "': setns failed: " + errno_text(err) + privilege_hint(err);
  }
  return std::nullopt;
}

std::optional<std::string> run_on_thread_in(const Namespace& ns, const std::function<void()>& fn) {
  std::optional<std::string> error;
  std::thread worker([&] {
    error = ns.enter_on_this_thread();
    if (!error) fn();
  });
  worker.join();
  return error;
}

std::uint64_t current_thread_namespace_inode() {
  struct stat st {};
  if (::stat("/proc/thread-self/ns/net", &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_ino);
}

}  // namespace faultline::netns
