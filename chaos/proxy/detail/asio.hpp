// Private to chaos/proxy: included only by its .cpp files, so that Boost.Asio
// stays out of every other translation unit. The I/O types of the engine:
// every socket and timer of a connection is bound to that connection's
// strand, so its handlers never run concurrently, whatever the thread count.
#pragma once

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <type_traits>

namespace faultline::proxy::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = tcp::socket::rebind_executor<Strand>::other;
using Acceptor = tcp::acceptor::rebind_executor<Strand>::other;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Strand>;

// Monotonic time in nanoseconds, the time scale of ChunkQueue and TokenBucket.
inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline std::chrono::steady_clock::time_point at_ns(std::int64_t ns) {
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::nanoseconds(ns)));
}

// Runs `fn` on `executor` and waits for its result. Never call it from an
// engine thread: the wait would block the thread that has to run `fn`.
template <class Executor, class Fn>
auto run_on(const Executor& executor, Fn fn) -> std::invoke_result_t<Fn&> {
  using Result = std::invoke_result_t<Fn&>;
  auto task = std::make_shared<std::packaged_task<Result()>>(std::move(fn));
  std::future<Result> result = task->get_future();
  asio::post(executor, [task] { (*task)(); });
  return result.get();
}

}  // namespace faultline::proxy::detail
