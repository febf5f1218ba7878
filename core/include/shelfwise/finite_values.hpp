// The largest magnitude in a float tensor, which also says whether its values are all finite (no
// NaN, no Inf): read_bundle checks every f32 and f16 tensor at each load and keeps the magnitude
// (TensorInfo::largest_magnitude) for loaders that bound their arithmetic. Branch-free within
// blocks, so the compiler vectorises the loop: V8 runs a function called once as baseline code,
// one instruction at a time, and a 22 MB embedding table checked a float per step cost a GRU's
// cold start tens of milliseconds.
#pragma once

#include <cstdint>
#include <optional>

namespace shelfwise {

// The largest |value| of `count` little-endian IEEE values at `data` (any alignment), or nullopt
// when one is NaN or Inf. 0 for no values.
std::optional<float> largest_finite_magnitude_f32(const std::uint8_t* data, std::uint64_t count);
std::optional<float> largest_finite_magnitude_f16(const std::uint8_t* data, std::uint64_t count);

}  // namespace shelfwise
