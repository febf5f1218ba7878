// Numbers in messages. std::to_string(double) formats through snprintf, which would link
// printf's floating-point formatter (and soft long double) into the shipped wasm for the sake of
// two error messages.
#pragma once

#include <string>

namespace shelfwise {

// What std::to_string(value) writes ("%f": six decimals) for |value| < 1e12, the range of the
// manifest bounds it is used for.
std::string decimal_text(double value);

}  // namespace shelfwise
