#include "shelfwise/portable_math.hpp"

#include <cstdint>
#include <cstring>

namespace shelfwise {

float portable_exp(float x) {
  if (!(x >= -87.3f)) return x == x ? 0.0f : x;  // NaN stays NaN (converting it to int below is undefined)
  if (x > 88.7f) x = 88.7f;
  // x = n ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 split so n * kLn2High is exact).
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2High = 0.693145751953125f;
  constexpr float kLn2Low = 1.42860682030941723212e-6f;
  const float scaled = x * kLog2e;
  const float rounded = static_cast<float>(static_cast<std::int32_t>(scaled < 0.0f ? scaled - 0.5f : scaled + 0.5f));
  const float r = (x - rounded * kLn2High) - rounded * kLn2Low;
  // Taylor terms to r^7: the remainder is below 2e-9 relative for |r| <= 0.347.
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // 2^n built in the exponent field; n in [-126, 128], so split n = a + b to stay normal.
  std::int32_t n = static_cast<std::int32_t>(rounded);
  const std::int32_t half = n / 2;
  auto power_of_two = [](std::int32_t exponent) {
    const std::uint32_t bits = static_cast<std::uint32_t>(exponent + 127) << 23;
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  };
  return p * power_of_two(half) * power_of_two(n - half);
}

}  // namespace shelfwise
