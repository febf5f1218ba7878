#include "shelfwise/order_checks.hpp"

namespace shelfwise {
namespace {

std::uint32_t count_decreases(ArrayView<std::uint32_t> values) {
  std::uint32_t count = 0;  // 32-bit lanes vectorise; a tensor has fewer than 2^32 entries here
  for (std::size_t index = 1; index < values.size(); ++index) count += values[index] < values[index - 1] ? 1U : 0U;
  return count;
}

}  // namespace

std::uint32_t largest_value(ArrayView<std::uint32_t> values) {
  std::uint32_t largest = 0;
  for (const std::uint32_t value : values) largest = value > largest ? value : largest;
  return largest;
}

std::size_t first_decrease(ArrayView<std::uint32_t> values) {
  if (count_decreases(values) == 0) return values.size();
  std::size_t index = 1;
  while (values[index] >= values[index - 1]) ++index;
  return index;
}

std::size_t count_non_decreases(ArrayView<std::uint32_t> values) {
  std::uint32_t count = 0;
  for (std::size_t index = 1; index < values.size(); ++index) count += values[index] >= values[index - 1] ? 1U : 0U;
  return count;
}

std::size_t count_negative(ArrayView<float> values) {
  std::uint32_t count = 0;
  for (const float value : values) count += value < 0.0f ? 1U : 0U;
  return count;
}

std::size_t count_final_bytes(ArrayView<std::uint8_t> bytes) {
  // Blocks keep the per-block sum in 8 bits' worth of lanes for the vectoriser.
  constexpr std::size_t kBlock = 255;
  std::size_t count = 0;
  std::size_t at = 0;
  for (; at + kBlock <= bytes.size(); at += kBlock) {
    std::uint8_t block = 0;
    for (std::size_t offset = 0; offset < kBlock; ++offset) block += static_cast<std::uint8_t>(bytes[at + offset] < 0x80U);
    count += block;
  }
  for (; at < bytes.size(); ++at) count += bytes[at] < 0x80U ? 1 : 0;
  return count;
}

}  // namespace shelfwise
