#include "shelfwise/decimal_text.hpp"

#include <cmath>
#include <cstdint>

namespace shelfwise {

std::string decimal_text(double value) {
  const bool negative = value < 0.0;
  const auto millionths = static_cast<std::uint64_t>(std::floor(std::fabs(value) * 1e6 + 0.5));
  std::string fraction = std::to_string(millionths % 1000000);
  fraction.insert(0, 6 - fraction.size(), '0');
  return (negative ? "-" : "") + std::to_string(millionths / 1000000) + "." + fraction;
}

}  // namespace shelfwise
