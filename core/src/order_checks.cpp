#include "shelfwise/order_checks.hpp"

#include <cstring>

namespace shelfwise {
namespace {

std::uint32_t count_decreases(ArrayView<std::uint32_t> values) {
  if (values.size() < 2) return 0;
  // Two streams a value apart rather than values[i] against values[i - 1]: the vectoriser then
  // loads both instead of shuffling each vector against the last, a loop a third the size. V8
  // charges each pass of a baseline loop its machine code's size against the budget that sends a
  // function to its optimising compiler (see the header): the offsets of a 43k-item model no
  // longer use it up.
  const std::uint32_t* earlier = values.data();
  const std::uint32_t* later = values.data() + 1;
  const std::size_t pairs = values.size() - 1;
  std::uint32_t count = 0;  // 32-bit lanes vectorise; a tensor has fewer than 2^32 entries here
  for (std::size_t index = 0; index < pairs; ++index) count += later[index] < earlier[index] ? 1U : 0U;
  return count;
}

}  // namespace

std::uint32_t largest_value(ArrayView<std::uint32_t> values) {
  std::uint32_t largest = 0;
  for (const std::uint32_t value : values) largest = value > largest ? value : largest;
  return largest;
}

std::uint8_t largest_value(ArrayView<std::uint8_t> values) {
  std::uint8_t largest = 0;
  for (const std::uint8_t value : values) largest = value > largest ? value : largest;
  return largest;
}

std::size_t count_at_least(ArrayView<std::uint32_t> values, std::uint32_t limit, std::uint32_t except) {
  std::uint32_t count = 0;  // 32-bit lanes vectorise; a tensor has fewer than 2^32 entries here
  for (const std::uint32_t value : values) count += static_cast<std::uint32_t>(value >= limit) & static_cast<std::uint32_t>(value != except);
  return count;
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

std::uint64_t totals_every_16(ArrayView<std::uint8_t> values, std::uint32_t* totals) {
  // Eight values per 64-bit word, added in place: 16 values a step in a short loop. Left to the
  // vectoriser, the function was 800 bytes of wasm, most of it for the 15-value tail.
  const auto sum_of_8 = [](const std::uint8_t* at) {
    std::uint64_t word = 0;
    std::memcpy(&word, at, sizeof word);
    word = (word & 0x00FF00FF00FF00FFULL) + ((word >> 8) & 0x00FF00FF00FF00FFULL);  // four sums of 2, each < 2^9
    return static_cast<std::uint32_t>((word * 0x0001000100010001ULL) >> 48);         // their sum, < 2^11
  };
  std::uint64_t total = 0;
  std::size_t at = 0;
#ifdef __clang__
#pragma clang loop vectorize(disable) unroll(disable)
#endif
  for (; at + 16 <= values.size(); at += 16) {
    totals[at / 16] = static_cast<std::uint32_t>(total);
    total += sum_of_8(values.data() + at) + sum_of_8(values.data() + at + 8);
  }
  if (at < values.size()) {
    totals[at / 16] = static_cast<std::uint32_t>(total);
#ifdef __clang__
#pragma clang loop vectorize(disable) unroll(disable)
#endif
    for (; at < values.size(); ++at) total += values[at];
  }
  return total;
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
