#include "cluster/util/fnv1a64.hpp"

namespace faultline::util {

std::uint64_t fnv1a64_extend(std::uint64_t hash, std::string_view bytes) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);  // the byte's value, never sign-extended
    hash *= kFnv1a64Prime;
  }
  return hash;
}

std::uint64_t fnv1a64(std::string_view bytes) { return fnv1a64_extend(kFnv1a64OffsetBasis, bytes); }

std::string fnv1a64_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::uint64_t hash = fnv1a64(bytes);
  std::string text(16, '0');
  for (auto it = text.rbegin(); it != text.rend(); ++it, hash >>= 4) *it = kDigits[hash & 0xf];
  return text;
}

}  // namespace faultline::util
