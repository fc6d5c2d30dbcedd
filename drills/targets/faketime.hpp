// libfaketime for targets whose members cannot be asked to skew their own
// clock (third-party processes, and the reference cluster's workers).
//
// A member that may take a clock fault is started with libfaketime
// preloaded (LD_PRELOAD, from Debian's `libfaketime`) and a control file
// that libfaketime re-reads on every clock call (FAKETIME_NO_CACHE), so the
// offset can change while the member runs: "+0" at start, "+30.000" to put
// its clock 30 s ahead, "+0" again to heal. Only the wall clock
// (CLOCK_REALTIME, gettimeofday, time) is shifted: FAKETIME_DONT_FAKE_MONOTONIC
// keeps CLOCK_MONOTONIC true, because libfaketime shifts monotonic readings
// but not the absolute deadlines that condition variables and timed waits
// hand to the kernel, which would hang a program's timed waits.
//
// It cannot act on a program that reads the clock without libc: a
// statically linked binary (Go programs such as etcd call the vDSO
// themselves) ignores LD_PRELOAD. static_binary() tells those apart from the
// ELF file itself (no program interpreter: nothing is ever preloaded).
//
// Thread-safety: plain functions; each control file has one writer (the
// runner's main thread).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace faultline::targets {

// The installed libfaketime.so.1, or nullopt (install `libfaketime`).
std::optional<std::filesystem::path> faketime_library();

// The variables that start a member under libfaketime with `control_file`.
std::vector<std::pair<std::string, std::string>> faketime_env(const std::filesystem::path& library,
                                                              const std::filesystem::path& control_file);

// Writes the offset (ms, either sign) to the control file: the member's wall
// clock reads that much ahead from its next reading on. False with `error`.
bool write_faketime_offset(const std::filesystem::path& control_file, double offset_ms, std::string& error);

// Why `program` (a path, or a name on PATH) cannot take libfaketime, or
// nullopt when it can (a dynamically linked ELF, or a script whose
// interpreter is one).
std::optional<std::string> static_binary(const std::string& program);

}  // namespace faultline::targets
