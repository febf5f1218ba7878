// Whole-array passes for validating tensors at load. Branch-free, so the compiler vectorises them:
// V8 runs a function called once as baseline code, one instruction at a time, and a per-entry
// branch over the 687k entries of a session index cost several milliseconds of every cold start.
// Callers look for the offending row only once a check has failed.
//
// They are also why a loader's own body holds no loop over items. V8 counts the work a baseline
// function does and, past a budget, compiles it again optimised on a helper thread: a loader
// that checked its 43k popularity scores in place was recompiled at every cold start (Model::load:
// 22 ms of a helper thread and 2.5 MB of fresh memory, whose page faults the main thread waited
// behind) for a function that never runs again. Out here only these small functions tier up.
#pragma once

#include <cstddef>
#include <cstdint>

#include "shelfwise/array_view.hpp"

namespace shelfwise {

// The largest value (0 for none).
std::uint32_t largest_value(ArrayView<std::uint32_t> values);
std::uint8_t largest_value(ArrayView<std::uint8_t> values);

// How many values are `limit` or more, leaving out those equal to `except` (a "none" marker).
std::size_t count_at_least(ArrayView<std::uint32_t> values, std::uint32_t limit, std::uint32_t except);

// The first i >= 1 with values[i] < values[i - 1], or values.size() when they never decrease
// (the offsets of every CSR table in a bundle); a branch-free count first, the search only after.
std::size_t first_decrease(ArrayView<std::uint32_t> values);

// How many i >= 1 have values[i] >= values[i - 1].
std::size_t count_non_decreases(ArrayView<std::uint32_t> values);

// Writes, for every 16th position g * 16, the sum of the values before it to totals[g] (cut to 32
// bits; `totals` has room for (values.size() + 15) / 16) and returns the sum of all values.
std::uint64_t totals_every_16(ArrayView<std::uint8_t> values, std::uint32_t* totals);

// How many values are below zero (NaN is not).
std::size_t count_negative(ArrayView<float> values);

// How many varint codes `bytes` holds: its bytes below 0x80, each of which ends one.
std::size_t count_final_bytes(ArrayView<std::uint8_t> bytes);

}  // namespace shelfwise
