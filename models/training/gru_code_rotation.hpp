// The rotated int8 scoring copy of a GRU's item embeddings (gru_quantisation.hpp): the principal
// directions of the embeddings, so that a request's first pass over the leading codes rules out
// most of the catalogue (gru_scorer.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "shelfwise/gru_quantisation.hpp"

namespace shelfwise::training {

// The prefix m is chosen by simulating requests: for sample hidden states (the network's state
// after one event of an item), the share of items whose bias and first m coordinates plus the
// Cauchy-Schwarz bound of the rest still reach the 20th best score (the bias matters: it carries
// most of the popularity that puts items in a top 20, and without it the share is ten times larger). A
// request costs about m / d of a whole pass, plus for each such item about kFinishCost times a
// whole pass's share of one item: it reads the item's row of codes (format v6; one or two cache
// lines), bounds it and keeps the best. The simulation counts fewer such items than a request
// finishes (it has no quantisation bound), the more so the larger m, so the price is set where the
// choices measured best with one-event states drawn by popularity (prefix_sample_items()): m = 16
// for the 100,000-item bench GRU (d = 64; 0.19 ms a request after a popular item, 0.29 at m = 2)
// and m = 48 for diginetica's (d = 128; 0.16 ms, 0.22 at m = 40). After a uniformly drawn item
// the 100,000-item GRU is faster at m = 2 (0.10 against 0.12 ms), which a shop's traffic is not.
inline constexpr double kFinishCost = 8.0;
// The rotated copy ships only where the simulated request costs at most this share of a whole
// pass: it also rotates each hidden state (O(d^2)) and finishes its survivors one at a time, so a
// small saving on paper is none in practice (diginetica's GRU, d = 128, simulates below it at
// m = 48 and measured 17 % faster per event in wasm). Else the copy is the plain one, which any
// reader since format v1 reads.
inline constexpr double kRotationWorth = 0.5;
inline constexpr std::size_t kPrefixSampleQueries = 64;

// `embeddings` is [d, n], dimension-major (gru.item_embeddings), as the device reads them, and
// `bias` the n output biases; `sample_states` holds hidden states of d floats each, one after the
// other.
// Always rotated; `predicted_cost`, when given, receives the simulated cost of its prefix.
// `prefix` (even, 2 to d rounded up to even) overrides the simulation's choice of m.
GruQuantisedEmbeddings rotated_scoring_copy(const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                                            const std::vector<float>& sample_states, double* predicted_cost = nullptr,
                                            std::uint32_t prefix = 0);

// Which copy to ship: rotated where it is worth it (kRotationWorth), always (the prefix still
// chosen by simulation), or never (a bundle every reader since format v1 reads).
enum class CopyRotation { automatic, always, never };
// The rotation, and a rotated copy's prefix m where the simulation is not to choose it (0: it is).
struct CopyChoice {
  CopyChoice(CopyRotation rotation_ = CopyRotation::automatic, std::uint32_t prefix_ = 0)  // NOLINT: a rotation is a choice
      : rotation(rotation_), prefix(prefix_) {}
  CopyRotation rotation;
  std::uint32_t prefix;
};

// The copy the trainer ships: rotated_scoring_copy() or quantise_gru_embeddings(), as `choice` says.
GruQuantisedEmbeddings gru_scoring_copy(const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                                        const std::vector<float>& sample_states, CopyChoice choice = {});

}  // namespace shelfwise::training
