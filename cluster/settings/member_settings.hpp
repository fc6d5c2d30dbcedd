// Inside the settings library: the readers of one member's section of
// systemConfig.cluster, `coordinator` and `node` (member_settings.cpp), for
// parse_settings (settings.cpp). Every problem goes to `errors` as
// "FILE: JSON PATH: what was expected"; nothing throws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/settings/reader.hpp"
#include "cluster/settings/settings.hpp"

namespace faultline::settings {

// The longest interval any field takes: a day, in ms.
inline constexpr std::int64_t kMaxMs = 24LL * 3600 * 1000;

void read_coordinator(const Json* value, const std::string& path, const std::string& file,
                      std::vector<std::string>& errors, CoordinatorSettings& s);
// `required`: the process runs as a node, so coordinatorUrl must be there.
void read_node(const Json* value, const std::string& path, const std::string& file, std::vector<std::string>& errors,
               bool required, NodeSettings& s);

}  // namespace faultline::settings
