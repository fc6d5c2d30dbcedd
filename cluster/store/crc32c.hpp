// CRC-32C (Castagnoli), table-driven, for record checksums.
// crc32c("123456789") == 0xE3069283.
#pragma once

#include <cstdint>
#include <string_view>

namespace faultline::store {

// Continues `crc` (0 to start) over `data`.
std::uint32_t crc32c(std::string_view data, std::uint32_t crc = 0);

}  // namespace faultline::store
