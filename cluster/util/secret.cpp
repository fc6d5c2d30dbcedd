#include "cluster/util/secret.hpp"

#include <random>

namespace faultline::util {

bool tokens_equal(std::string_view presented, std::string_view expected) {
  // Every byte of `presented` is compared (against `expected` repeated when
  // it is shorter) and the differences accumulated, so the loop neither
  // stops early nor branches on the contents.
  unsigned char difference = presented.size() == expected.size() ? 0 : 1;
  if (expected.empty()) return presented.empty();
  for (std::size_t i = 0; i < presented.size(); ++i) {
    difference |= static_cast<unsigned char>(presented[i] ^ expected[i % expected.size()]);
  }
  return difference == 0;
}

std::string random_token(std::size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string out;
  out.reserve(2 * bytes);
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(device()) & 0xffu;
    out += kHex[b >> 4];
    out += kHex[b & 0xfu];
  }
  return out;
}

}  // namespace faultline::util
