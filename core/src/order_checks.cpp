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

}  // namespace shelfwise
