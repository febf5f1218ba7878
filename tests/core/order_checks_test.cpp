#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "shelfwise/order_checks.hpp"

namespace {

using shelfwise::count_at_least;
using shelfwise::count_negative;
using shelfwise::largest_value;
using shelfwise::totals_every_16;

TEST_CASE("order checks: count_negative counts values below zero, wherever they sit", "[order_checks]") {
  CHECK(count_negative({}) == 0);
  // Lengths around the vector width and its multiples, so both the vector body and the tail are hit.
  for (const std::size_t size : {1U, 3U, 4U, 5U, 15U, 16U, 17U, 1000U}) {
    for (const std::size_t at : {std::size_t{0}, size / 2, size - 1}) {
      std::vector<float> values(size, 0.5f);
      CHECK(count_negative({values.data(), values.size()}) == 0);
      values[at] = -1e-30f;
      CHECK(count_negative({values.data(), values.size()}) == 1);
    }
  }
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> mixed = {-0.0f, 0.0f, nan, -inf, inf, -2.0f, 3.0f};
  CHECK(count_negative({mixed.data(), mixed.size()}) == 2);  // -0 and NaN are not below zero
}

TEST_CASE("order checks: largest_value finds the maximum anywhere", "[order_checks]") {
  CHECK(largest_value(shelfwise::ArrayView<std::uint32_t>()) == 0);
  for (const std::size_t size : {1U, 5U, 16U, 17U, 1000U}) {
    std::vector<std::uint32_t> values(size, 7);
    values[size - 1] = 0xFFFFFFFFU;
    CHECK(largest_value({values.data(), values.size()}) == 0xFFFFFFFFU);
    values[size - 1] = 3;
    values[0] = 9;
    CHECK(largest_value({values.data(), values.size()}) == 9U);
  }
}

TEST_CASE("order checks: count_at_least leaves out the marker value", "[order_checks]") {
  constexpr std::uint32_t kMarker = 0xFFFFFFFFU;
  CHECK(count_at_least({}, 3, kMarker) == 0);
  for (const std::size_t size : {2U, 5U, 17U, 1000U}) {
    std::vector<std::uint32_t> values(size, 2);
    values[size - 1] = kMarker;
    const shelfwise::ArrayView<std::uint32_t> view(values.data(), size);
    CHECK(count_at_least(view, 3, kMarker) == 0);
    values[0] = 3;  // the limit itself counts
    CHECK(count_at_least(view, 3, kMarker) == 1);
    CHECK(count_at_least(view, 2, kMarker) == size - 1);
    CHECK(count_at_least(view, 3, 7) == 2);  // with another marker, the 0xFFFFFFFF counts too
  }
}

TEST_CASE("order checks: largest_value of bytes", "[order_checks]") {
  const std::vector<std::uint8_t> none;
  CHECK(largest_value(shelfwise::ArrayView<std::uint8_t>(none.data(), 0)) == 0);
  for (const std::size_t size : {1U, 15U, 16U, 17U, 1000U}) {
    std::vector<std::uint8_t> values(size, 1);
    CHECK(largest_value(shelfwise::ArrayView<std::uint8_t>(values.data(), size)) == 1);
    values[size - 1] = 2;
    CHECK(largest_value(shelfwise::ArrayView<std::uint8_t>(values.data(), size)) == 2);
  }
}

TEST_CASE("order checks: totals_every_16 gives the running total at every 16th value", "[order_checks]") {
  for (const std::size_t size : {0U, 1U, 15U, 16U, 17U, 31U, 32U, 33U, 1000U}) {
    std::vector<std::uint8_t> values(size);
    // All 255 in places (the largest sums a word holds), the rest spread over every byte value.
    for (std::size_t at = 0; at < size; ++at) values[at] = at % 50 < 20 ? 255 : static_cast<std::uint8_t>(at * 131U + 7U);
    std::vector<std::uint32_t> totals((size + 15) / 16, 0xDEADBEEFU);
    const std::uint64_t total = totals_every_16({values.data(), values.size()}, totals.data());
    std::uint64_t expected = 0;
    for (std::size_t at = 0; at < size; ++at) {
      if (at % 16 == 0) CHECK(totals[at / 16] == expected);
      expected += values[at];
    }
    CHECK(total == expected);
  }
}

}  // namespace
