#include "shelfwise/finite_values.hpp"

#include <cstring>

#include "shelfwise/half_float.hpp"

namespace shelfwise {
namespace {

// Values per block: the early exit costs a branch per block, not per value.
constexpr std::uint64_t kBlock = 4096;

// The largest magnitude bits (sign cleared) of `count` words of `Bits`; IEEE magnitudes order as
// their bits do, and every NaN and Inf has bits at or above `infinity`.
template <typename Bits>
std::optional<Bits> largest_magnitude_bits(const std::uint8_t* data, std::uint64_t count, Bits magnitude_mask, Bits infinity) {
  Bits largest = 0;
  for (std::uint64_t begin = 0; begin < count; begin += kBlock) {
    const std::uint64_t end = count - begin < kBlock ? count : begin + kBlock;
    Bits block_largest = 0;
    for (std::uint64_t index = begin; index < end; ++index) {
      Bits bits;
      std::memcpy(&bits, data + index * sizeof(Bits), sizeof(Bits));
      bits &= magnitude_mask;
      block_largest = bits > block_largest ? bits : block_largest;
    }
    if (block_largest >= infinity) return std::nullopt;
    largest = block_largest > largest ? block_largest : largest;
  }
  return largest;
}

}  // namespace

std::optional<float> largest_finite_magnitude_f32(const std::uint8_t* data, std::uint64_t count) {
  const auto bits = largest_magnitude_bits<std::uint32_t>(data, count, 0x7FFFFFFFU, 0x7F800000U);
  if (!bits) return std::nullopt;
  float value;
  std::memcpy(&value, &*bits, sizeof(value));
  return value;
}

std::optional<float> largest_finite_magnitude_f16(const std::uint8_t* data, std::uint64_t count) {
  const auto bits = largest_magnitude_bits<std::uint16_t>(data, count, 0x7FFFU, 0x7C00U);
  if (!bits) return std::nullopt;
  return half_to_float(*bits);
}

}  // namespace shelfwise
