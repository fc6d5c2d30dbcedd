#include "drills/runner/control_queue.hpp"

namespace faultline::runner {

nlohmann::json ControlQueue::post(std::string verb, nlohmann::json body, std::chrono::milliseconds timeout) {
  std::future<nlohmann::json> answer;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(ControlCommand{std::move(verb), std::move(body), {}});
    answer = queue_.back().answer.get_future();
  }
  if (answer.wait_for(timeout) != std::future_status::ready) {
    return {{"success", false}, {"error", "the cluster did not answer in time"}};
  }
  return answer.get();
}

std::optional<ControlCommand> ControlQueue::take() {
  std::lock_guard lock(mu_);
  if (queue_.empty()) return std::nullopt;
  ControlCommand command = std::move(queue_.front());
  queue_.pop_front();
  return command;
}

}  // namespace faultline::runner
