// for_each_parallel: runs fn(0) .. fn(n - 1) on at most `max_threads`
// threads and returns when all are done. The fabric uses it to configure
// members and apply their rules concurrently without a thread (and two
// process spawns) per member at once on a large fabric.
//
// fn must be safe to call concurrently for different indices and must not
// throw. Internal to faultline::netns.
#pragma once

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace faultline::netns {

inline constexpr std::size_t kMaxParallel = 8;

template <class Fn>
void for_each_parallel(std::size_t n, Fn fn, std::size_t max_threads = kMaxParallel) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> threads;
  const std::size_t count = n < max_threads ? n : max_threads;
  for (std::size_t t = 1; t < count; ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
}

}  // namespace faultline::netns
