// Turns SIGINT and SIGTERM sent to the runner into a request it polls, so the
// runner unwinds normally and its Supervisor destructor kills and reaps every
// member (a terminal's Ctrl-C reaches only the runner: members lead their own
// process groups).
//
// The handler is async-signal-safe: it only stores the signal number in a
// lock-free std::atomic<int> and write(2)s one byte to a non-blocking
// self-pipe, preserving errno. No allocation, no locks, no stdio.
//
// A second SIGINT or SIGTERM while the first is still pending (the user
// pressing Ctrl-C again because cleanup hangs) restores the default action and
// re-raises it, so the runner dies at once; the members then die through
// PR_SET_PDEATHSIG. Pass second_signal_is_fatal = false to only record it.
//
// Signal dispositions are per process, so this state is necessarily
// process-wide; it holds no configuration. Call install once, from the main
// thread, before starting members; the queries are safe from any thread.
#pragma once

#include <string>

namespace faultline::process {

// Installs the handlers (idempotent). Returns an error message, empty on
// success.
std::string install_termination_handlers(bool second_signal_is_fatal = true);

// The first termination signal received (SIGINT or SIGTERM), or 0 if none.
int termination_requested();

// Read end of the self-pipe, non-blocking and close-on-exec: readable once a
// termination signal arrived, for runners that wait in poll(2)/select(2).
// -1 before install_termination_handlers().
int termination_fd();

// Forgets a received request and drains the pipe, for a runner that handled
// it and goes on (and for tests).
void clear_termination_request();

}  // namespace faultline::process
