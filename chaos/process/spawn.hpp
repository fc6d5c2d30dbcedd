// spawn_member: the one place that forks. Starts `spec` with Boost.Process and
// prepares the child, between fork and exec, so that it can never outlive the
// process that started it:
//
//  - setpgid(0, 0): the member leads its own process group. A terminal's Ctrl-C
//    then reaches only the runner, which cleans up in order, and signals sent
//    to -pgid reach the member's own children too.
//  - prctl(PR_SET_PDEATHSIG, SIGKILL): the kernel kills the member when its
//    parent dies, including when the runner itself is SIGKILLed.
//  - getppid() == the parent pid recorded before fork: if the parent died
//    between fork and prctl, the death signal would never come, so exit now.
//  - signal mask emptied and SIGINT/SIGTERM/SIGPIPE/SIGHUP/SIGQUIT restored to
//    their defaults, so the member does not inherit the runner's handling.
//  - stdout and stderr appended to the member's log file; stdin is /dev/null.
//
// CAUTION: PR_SET_PDEATHSIG fires when the *thread* that forked exits, not the
// process. Call this only from a thread that lives as long as the member
// should (the runner's main thread); a short-lived worker thread would take
// the member down with it. Supervisor enforces this.
//
// Internal to faultline::process; the Boost.Process headers stay in spawn.cpp.
#pragma once

#include "chaos/process/process_control.hpp"

namespace faultline::process {

// Exit code of a child whose parent died before it could arm PDEATHSIG.
inline constexpr int kParentGoneExitCode = 125;

// Starts the member. On success the caller owns the pid and must reap it with
// waitpid; Boost's child handle has been detached. On failure nothing is left
// running (a child that failed before exec is reaped here).
SpawnResult spawn_member(const MemberSpec& spec);

}  // namespace faultline::process
