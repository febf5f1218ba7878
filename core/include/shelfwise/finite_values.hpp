// Whether a float tensor's values are all finite (no NaN, no Inf): read_bundle checks every f32
// and f16 tensor at each load. Branch-free within blocks, so the compiler vectorises the loop:
// V8 runs a function called once as baseline code, one instruction at a time, and a 22 MB
// embedding table checked a float per step cost a GRU's cold start tens of milliseconds.
#pragma once

#include <cstdint>

namespace shelfwise {

// `data` holds `count` little-endian IEEE values; any alignment.
bool all_finite_f32(const std::uint8_t* data, std::uint64_t count);
bool all_finite_f16(const std::uint8_t* data, std::uint64_t count);

}  // namespace shelfwise
