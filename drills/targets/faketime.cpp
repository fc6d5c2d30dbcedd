#include "drills/targets/faketime.hpp"

#include "chaos/faults/faketime_file.hpp"

#include <elf.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace faultline::targets {
namespace {

std::filesystem::path on_path(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::error_code ec;
    const auto candidate = std::filesystem::path(dir) / program;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
  }
  return program;
}

}  // namespace

std::optional<std::filesystem::path> faketime_library() {
  for (const char* candidate : {"/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
                                "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
                                "/usr/lib/faketime/libfaketime.so.1",
                                "/usr/local/lib/faketime/libfaketime.so.1"}) {
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) return std::filesystem::path(candidate);
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> faketime_env(const std::filesystem::path& library,
                                                              const std::filesystem::path& control_file) {
  return {{"LD_PRELOAD", library.string()},
          {"FAKETIME_TIMESTAMP_FILE", control_file.string()},
          {"FAKETIME_NO_CACHE", "1"},
          {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}};
}

bool write_faketime_offset(const std::filesystem::path& control_file, double offset_ms, std::string& error) {
  if (auto failed = faults::write_faketime_offset(control_file, offset_ms)) {
    error = *failed;
    return false;
  }
  return true;
}

std::optional<std::string> static_binary(const std::string& program) {
  const auto path = on_path(program);
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path.string() + " to see whether libfaketime can act on it";
  char magic[4] = {};
  in.read(magic, 4);
  if (in.gcount() >= 2 && magic[0] == '#' && magic[1] == '!') return std::nullopt;  // a script
  if (in.gcount() != 4 || std::memcmp(magic, ELFMAG, SELFMAG) != 0) {
    return path.string() + " is neither an ELF executable nor a script";
  }
  in.seekg(0);
  Elf64_Ehdr header{};
  in.read(reinterpret_cast<char*>(&header), sizeof header);
  if (!in || header.e_ident[EI_CLASS] != ELFCLASS64) {
    return path.string() + " is not a 64-bit ELF executable";
  }
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr program_header{};
    in.seekg(static_cast<std::streamoff>(header.e_phoff + i * header.e_phentsize));
    in.read(reinterpret_cast<char*>(&program_header), sizeof program_header);
    if (!in) break;
    if (program_header.p_type == PT_INTERP) return std::nullopt;
  }
  return path.string() +
         " is statically linked: it reads the clock without libc (Go programs call the vDSO "
         "themselves), so libfaketime cannot shift its clock";
}

}  // namespace faultline::targets
