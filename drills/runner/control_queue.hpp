// Commands from the control API of `faultline cluster up` to its main
// thread. The API's handlers run on HTTP threads (in the host's network
// namespace); faults must run on the main thread (it spawns members and
// lives in the run's hub), so a handler posts its command here and waits for
// the answer, and the main loop takes commands one at a time.
//
// Thread-safety: post() from any thread; take() from the main thread.
#pragma once

#include <chrono>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::runner {

struct ControlCommand {
  std::string verb;  // inject | list | heal
  nlohmann::json body;
  std::promise<nlohmann::json> answer;
};

class ControlQueue {
 public:
  // Posts a command and waits up to `timeout` for its answer; an error
  // object when the main loop did not answer in time.
  nlohmann::json post(std::string verb, nlohmann::json body, std::chrono::milliseconds timeout);
  // The oldest command, if any.
  std::optional<ControlCommand> take();

 private:
  std::mutex mu_;
  std::deque<ControlCommand> queue_;  // guarded by mu_
};

}  // namespace faultline::runner
