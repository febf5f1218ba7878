// Doubles rounded to a float on a chosen side, for bounds that must stay bounds once stored or
// compared in single precision (the GRU's int8 copy and its scorer).
#pragma once

#include <cmath>

namespace shelfwise {

// The nearest float not below `value`.
inline float float_at_least(double value) {
  float rounded = static_cast<float>(value);
  if (static_cast<double>(rounded) < value) rounded = std::nextafter(rounded, INFINITY);
  return rounded;
}

// The nearest float not above `value`.
inline float float_at_most(double value) {
  float rounded = static_cast<float>(value);
  if (static_cast<double>(rounded) > value) rounded = std::nextafter(rounded, -INFINITY);
  return rounded;
}

}  // namespace shelfwise
