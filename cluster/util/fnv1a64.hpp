// FNV-1a, 64 bits (Fowler, Noll, Vo; the parameters of the FNV reference
// and of draft-eastlake-fnv): the one implementation behind the journal's
// `plan_hash` and the coordinators' rendezvous ranking of workers.
//
// It identifies text and spreads keys; it is not a cryptographic hash and
// must never be used where an adversary chooses the input.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace faultline::util {

inline constexpr std::uint64_t kFnv1a64OffsetBasis = 14695981039346656037ULL;  // 0xcbf29ce484222325
inline constexpr std::uint64_t kFnv1a64Prime = 1099511628211ULL;               // 2^40 + 0x1b3

// Continues a hash over more bytes, so that
// fnv1a64_extend(fnv1a64(a), b) == fnv1a64(a + b) without building a + b.
std::uint64_t fnv1a64_extend(std::uint64_t hash, std::string_view bytes);

// The hash of `bytes` (the empty string hashes to the offset basis).
std::uint64_t fnv1a64(std::string_view bytes);

// The hash as 16 lowercase hex digits, zero-padded: "cbf29ce484222325".
std::string fnv1a64_hex(std::string_view bytes);

}  // namespace faultline::util
