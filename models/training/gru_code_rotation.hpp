// The rotated int8 scoring copy of a GRU's item embeddings (gru_quantisation.hpp): the principal
// directions of the embeddings, so that a request's first pass over the leading codes rules out
// most of the catalogue (gru_scorer.hpp).
#pragma once

#include <cstddef>
#include <vector>

#include "shelfwise/gru_quantisation.hpp"

namespace shelfwise::training {

// The prefix m is chosen by simulating requests: for sample hidden states (the network's state
// after one event of an item), the share of items whose bias and first m coordinates plus the
// Cauchy-Schwarz bound of the rest still reach the 20th best score (the bias matters: it carries
// most of the popularity that puts items in a top 20, and without it the share is ten times larger). A
// request costs about m / d of a whole pass, plus for each such item about kFinishCost times its
// share of a whole pass for the other d - m codes (they are read one pair of codes at a time).
// Measured with real hidden states: diginetica's GRU (d = 128) leaves 1.4 % of the items at m = 48
// and 10 % at m = 32; the 100,000-item bench GRU (d = 64) 0.64 % at m = 16 and 0.2 % at m = 24.
inline constexpr double kFinishCost = 16.0;
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
GruQuantisedEmbeddings rotated_scoring_copy(const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                                            const std::vector<float>& sample_states, double* predicted_cost = nullptr);

// Which copy to ship: rotated where it is worth it (kRotationWorth), always (the prefix still
// chosen by simulation), or never (a bundle every reader since format v1 reads).
enum class CopyRotation { automatic, always, never };

// The copy the trainer ships: rotated_scoring_copy() or quantise_gru_embeddings(), as `rotation` says.
GruQuantisedEmbeddings gru_scoring_copy(const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                                        const std::vector<float>& sample_states,
                                        CopyRotation rotation = CopyRotation::automatic);

}  // namespace shelfwise::training
