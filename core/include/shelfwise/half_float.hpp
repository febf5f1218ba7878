// IEEE 754 binary16 <-> binary32 without hardware support (wasm has no f16 instructions).
// half_to_float is exact for every finite half; float_to_half rounds to nearest, ties to even,
// saturating to the largest finite half (65504) so a stored factor is never Inf.
#pragma once

#include <cstdint>
#include <cstring>

namespace shelfwise {

// The magic-multiply conversion: shift the half's exponent and mantissa into a float's, then
// scale by 2^112 to rebias the exponent; subnormal halves land on exact float values the same
// way. The SIMD kernel (factor_kernels.hpp) uses the very same steps, so both agree bit for bit.
inline float half_to_float(std::uint16_t half) {
  const std::uint32_t shifted = static_cast<std::uint32_t>(half & 0x7FFFU) << 13;
  float magnitude;
  std::memcpy(&magnitude, &shifted, sizeof(magnitude));
  magnitude *= 5.192296858534828e33f;  // 2^112
  std::uint32_t bits;
  std::memcpy(&bits, &magnitude, sizeof(bits));
  bits |= static_cast<std::uint32_t>(half & 0x8000U) << 16;
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

inline std::uint16_t float_to_half(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000U);
  const std::uint32_t magnitude = bits & 0x7FFFFFFFU;
  if (magnitude >= 0x477FF000U) return sign | 0x7BFFU;  // >= 65520 (or NaN/Inf): largest finite
  if (magnitude < 0x38800000U) {
    // Subnormal half (or zero): value / 2^-24 rounded to an integer, ties to even.
    if (magnitude < 0x33000000U) return sign;  // below half the smallest subnormal
    const std::uint32_t exponent = magnitude >> 23;
    const std::uint32_t mantissa = (magnitude & 0x7FFFFFU) | 0x800000U;
    const std::uint32_t shift = 126 - exponent;  // 14..24 for exponents 102..112
    std::uint32_t result = mantissa >> shift;
    const std::uint32_t remainder = mantissa & ((1U << shift) - 1U);
    const std::uint32_t halfway = 1U << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (result & 1U))) ++result;
    return sign | static_cast<std::uint16_t>(result);
  }
  // Normal: rebias the exponent, round the 13 dropped mantissa bits to nearest even.
  std::uint32_t result = (magnitude - 0x38000000U) >> 13;
  const std::uint32_t remainder = magnitude & 0x1FFFU;
  if (remainder > 0x1000U || (remainder == 0x1000U && (result & 1U))) ++result;
  return sign | static_cast<std::uint16_t>(result);
}

}  // namespace shelfwise
