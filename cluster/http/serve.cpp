#include "cluster/http/serve.hpp"

#include <pthread.h>
#include <signal.h>

#include <iostream>

namespace faultline::http {

int serve_until_stop_signal(const std::string& who, const std::function<std::string()>& listening,
                            const std::function<bool(std::string& error)>& start,
                            const std::function<void()>& stop) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::string error;
  if (!start(error)) {
    std::cerr << who << ": " << error << "\n";
    return 3;
  }
  std::cout << who << " listening on " << listening() << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cerr << who << ": stopping on signal " << signal_number << "\n";
  stop();
  return 0;
}

}  // namespace faultline::http
