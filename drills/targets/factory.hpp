// Makes the target a plan's `topology.kind` names.
#pragma once

#include <memory>

#include "chaos/process/process_control.hpp"
#include "drills/plan/model.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {

struct TargetContext {
  std::filesystem::path dir;  // the run folder's members/ folder
  std::string binary;         // the faultline executable
  std::uint64_t seed = 1;
  // The run acts on links (the plan has link faults, or `cluster up`
  // interposes on every link): targets that cannot be interposed on by the
  // proxy backend refuse to run there.
  bool link_faults = false;
};

// nullptr with `error` when the kind cannot be driven here (a missing
// binary: the error names the Debian package that provides it).
std::unique_ptr<Target> make_target(const plan::Plan& plan, const TargetContext& context,
                                    process::ProcessControl& processes, std::string& error);

}  // namespace faultline::targets
