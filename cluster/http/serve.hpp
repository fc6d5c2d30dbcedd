// The life of a serving process (a coordinator, a worker): SIGINT and SIGTERM
// are blocked in every thread before any starts, then waited for on the main
// thread, so no handler runs in a random thread and shutdown is ordinary code.
//
//   faultline coordinator c1 listening on 127.0.0.1:7001
//   faultline coordinator c1: stopping on signal 15
#pragma once

#include <functional>
#include <string>

namespace faultline::http {

// `who` names the process in its log lines ("faultline worker w1"). `start`
// starts the threads and returns false with the reason when it cannot;
// `listening` is what the ready line says after "listening on". Returns the
// process exit code: 0 after a clean stop, 3 when start failed.
int serve_until_stop_signal(const std::string& who, const std::string& listening,
                            const std::function<bool(std::string& error)>& start,
                            const std::function<void()>& stop);

}  // namespace faultline::http
