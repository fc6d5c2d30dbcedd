// The life of a serving process (a coordinator, a worker): SIGINT and SIGTERM
// are blocked in every thread before any starts, then waited for on the main
// thread, so no handler runs in a random thread and shutdown is ordinary code.
//
//   faultline coordinator c1 listening on 10.77.0.11:7000 raft 10.77.0.11:7100
//   faultline coordinator c1: stopping on signal 15
//
// The ready line goes to standard output (flushed) once the process serves,
// with the addresses it actually bound (a port 0 in the config shows as the
// port the kernel chose); every other line goes to standard error.
#pragma once

#include <functional>
#include <string>

namespace faultline::http {

// `who` names the process in its log lines ("faultline worker w1"). `start`
// starts the threads and returns false with the reason when it cannot;
// `listening`, called after a successful start, gives what the ready line
// says after "listening on". Returns the
// process exit code: 0 after a clean stop, 3 when start failed.
int serve_until_stop_signal(const std::string& who, const std::function<std::string()>& listening,
                            const std::function<bool(std::string& error)>& start,
                            const std::function<void()>& stop);

}  // namespace faultline::http
