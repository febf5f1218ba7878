// decimal_text stands in for std::to_string(double) in messages, so messages stay as they were.
#include <catch2/catch.hpp>

#include <string>

#include "shelfwise/decimal_text.hpp"

TEST_CASE("decimal_text writes what std::to_string writes for manifest bounds", "[decimal_text]") {
  for (const double value : {0.0, 1e-6, 0.25, 1.0, 8.0, 1000.0, 1e6, 1e9, -2.5, 123.4567891}) {
    INFO(value);
    CHECK(shelfwise::decimal_text(value) == std::to_string(value));
  }
}
