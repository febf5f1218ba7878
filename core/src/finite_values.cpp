#include "shelfwise/finite_values.hpp"

#include <cstring>

namespace shelfwise {
namespace {

// Values per block: the early exit costs a branch per block, not per value.
constexpr std::uint64_t kBlock = 4096;

// Whether any of `count` words of `Bits` has every bit of `exponent` set (Inf or NaN).
template <typename Bits>
bool any_exponent_all_ones(const std::uint8_t* data, std::uint64_t count, Bits exponent) {
  for (std::uint64_t begin = 0; begin < count; begin += kBlock) {
    const std::uint64_t end = count - begin < kBlock ? count : begin + kBlock;
    unsigned found = 0;
    for (std::uint64_t index = begin; index < end; ++index) {
      Bits bits;
      std::memcpy(&bits, data + index * sizeof(Bits), sizeof(Bits));
      found |= (bits & exponent) == exponent ? 1U : 0U;
    }
    if (found != 0) return true;
  }
  return false;
}

}  // namespace

bool all_finite_f32(const std::uint8_t* data, std::uint64_t count) {
  return !any_exponent_all_ones<std::uint32_t>(data, count, 0x7F800000U);
}

bool all_finite_f16(const std::uint8_t* data, std::uint64_t count) {
  return !any_exponent_all_ones<std::uint16_t>(data, count, 0x7C00U);
}

}  // namespace shelfwise
