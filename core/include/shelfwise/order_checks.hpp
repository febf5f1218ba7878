// Whole-array order checks for validating CSR tables at load. Branch-free, so the compiler
// vectorises them: V8 runs a function called once as baseline code, one instruction at a time,
// and a per-entry branch over the 687k entries of a session index cost several milliseconds of
// every cold start. Callers look for the offending row only once a check has failed.
#pragma once

#include <cstddef>
#include <cstdint>

#include "shelfwise/array_view.hpp"

namespace shelfwise {

// The largest value (0 for none).
std::uint32_t largest_value(ArrayView<std::uint32_t> values);

// The first i >= 1 with values[i] < values[i - 1], or values.size() when they never decrease
// (the offsets of every CSR table in a bundle); a branch-free count first, the search only after.
std::size_t first_decrease(ArrayView<std::uint32_t> values);

// How many i >= 1 have values[i] >= values[i - 1].
std::size_t count_non_decreases(ArrayView<std::uint32_t> values);

// How many varint codes `bytes` holds: its bytes below 0x80, each of which ends one.
std::size_t count_final_bytes(ArrayView<std::uint8_t> bytes);

}  // namespace shelfwise
