// The blocked largest-magnitude pass (finite_values.hpp) against the plain per-value definition,
// with a NaN or Inf in the first, a middle or the last (partial) block, at any alignment.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "shelfwise/finite_values.hpp"

namespace {

bool all_finite_f32(const std::uint8_t* data, std::size_t count) {
  return shelfwise::largest_finite_magnitude_f32(data, count).has_value();
}
bool all_finite_f16(const std::uint8_t* data, std::size_t count) {
  return shelfwise::largest_finite_magnitude_f16(data, count).has_value();
}

}  // namespace

TEST_CASE("the largest magnitude of a float tensor, and a NaN or Inf anywhere in it", "[bundle][finite]") {
  const std::size_t count = 3 * 4096 + 123;
  std::vector<float> values(count);
  for (std::size_t index = 0; index < count; ++index) values[index] = std::ldexp(static_cast<float>(index % 97) - 48.0f, static_cast<int>(index % 200) - 100);
  values[17] = 1e29f;
  values[count - 3] = -3e30f;  // the largest magnitude, in the last (partial) block
  values[18] = -std::numeric_limits<float>::denorm_min();
  std::vector<std::uint8_t> bytes(count * sizeof(float) + 1);
  float expected = 0.0f;
  for (const float value : values) expected = std::max(expected, std::fabs(value));
  for (const std::size_t shift : {std::size_t{0}, std::size_t{1}}) {  // unaligned too
    std::memcpy(bytes.data() + shift, values.data(), count * sizeof(float));
    CHECK(shelfwise::largest_finite_magnitude_f32(bytes.data() + shift, count) == expected);
    CHECK(shelfwise::largest_finite_magnitude_f32(bytes.data() + shift, 0) == 0.0f);
    for (const float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()}) {
      for (const std::size_t position : {std::size_t{0}, std::size_t{4095}, std::size_t{4096}, std::size_t{2 * 4096 + 7}, count - 1}) {
        std::memcpy(bytes.data() + shift + position * sizeof(float), &bad, sizeof bad);
        INFO("shift " << shift << " position " << position << " value " << bad);
        CHECK_FALSE(all_finite_f32(bytes.data() + shift, count));
        // Only the first `position` values: the bad one is outside.
        CHECK(all_finite_f32(bytes.data() + shift, position));
        std::memcpy(bytes.data() + shift + position * sizeof(float), &values[position], sizeof(float));
      }
    }
  }
}

TEST_CASE("all_finite_f16 finds one half-precision NaN or Inf anywhere", "[bundle][finite]") {
  const std::size_t count = 2 * 4096 + 5;
  std::vector<std::uint16_t> halves(count);
  for (std::size_t index = 0; index < count; ++index) halves[index] = static_cast<std::uint16_t>((index * 2654435761U) & 0xFFFF);
  for (std::uint16_t& half : halves) {
    if ((half & 0x7C00U) == 0x7C00U) half &= 0xFBFFU;  // the largest exponent below Inf
  }
  const auto* bytes = reinterpret_cast<std::uint8_t*>(halves.data());
  CHECK(all_finite_f16(bytes, count));
  halves[4097] = 0xFBFF;  // -65504, the largest finite magnitude
  CHECK(shelfwise::largest_finite_magnitude_f16(bytes, count) == 65504.0f);
  for (const std::uint16_t bad : {std::uint16_t{0x7C00}, std::uint16_t{0xFC00}, std::uint16_t{0x7E01}}) {
    for (const std::size_t position : {std::size_t{0}, std::size_t{4096}, count - 1}) {
      const std::uint16_t kept = halves[position];
      halves[position] = bad;
      CHECK_FALSE(all_finite_f16(bytes, count));
      halves[position] = kept;
    }
  }
  CHECK(all_finite_f16(bytes, count));
}
