// The trainable weights of the GRU4Rec-style network (core/include/shelfwise/gru_network.hpp has
// the equations and the bundle layout), in the layouts training wants: one row per item.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "shelfwise/bundle_writer.hpp"
#include "training/gru_code_rotation.hpp"
#include "training/seeded_random.hpp"

namespace shelfwise::training {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct GruParameters {
  RowMatrix item_embeddings;     // n x d: input lookup and output layer ("constrained" embeddings)
  Eigen::VectorXf item_bias;     // n
  RowMatrix input_weights;       // 3d x d: reset, update, candidate blocks
  RowMatrix hidden_weights;      // 3d x d
  Eigen::VectorXf gate_bias;     // 3d

  std::size_t hidden_size() const { return static_cast<std::size_t>(input_weights.cols()); }
  std::size_t item_count() const { return static_cast<std::size_t>(item_embeddings.rows()); }
};

// Uniform in +-sqrt(6 / (fan_in + fan_out)) per matrix (per gate block), biases zero, as
// GRU4Rec initialises.
GruParameters initial_gru_parameters(std::size_t item_count, std::size_t hidden_size, SeededRandom& random);

// The "gru.*" tensors (item embeddings transposed to [d, n]).
void add_gru_tensors(BundleWriter& writer, const GruParameters& parameters);

// The int8 scoring copy of dimension-major `embeddings` [d, n] (gru_quantisation.hpp, rotated):
// the trainer and `shelfwise quantize` both ship it. `sample_states` (d floats each) are hidden
// states the copy's prefix is chosen for (gru_code_rotation.hpp).
void add_gru_scoring_copy(BundleWriter& writer, const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                          const std::vector<float>& sample_states, CopyChoice choice = {});

// How many items' one-event states the prefix is chosen for, evenly spaced over the catalogue.
inline constexpr std::size_t kPrefixSampleItems = 64;

// The hidden states (d floats each) after one event of kPrefixSampleItems items, evenly spaced.
std::vector<float> one_event_states(const GruParameters& parameters);

// Uniform float in [0, 1) from 24 random bits.
inline float uniform_float(SeededRandom& random) {
  return static_cast<float>(random.next_u64() >> 40) * (1.0f / 16777216.0f);
}

}  // namespace shelfwise::training
