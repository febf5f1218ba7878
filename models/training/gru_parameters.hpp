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

// The "gru.*" tensors (item embeddings transposed to [d, n]); `popularity` (the bundle's, n
// values) picks the states the scoring copy's prefix is chosen for (prefix_sample_items()).
void add_gru_tensors(BundleWriter& writer, const GruParameters& parameters, const std::vector<float>& popularity = {});

// The int8 scoring copy of dimension-major `embeddings` [d, n] (gru_quantisation.hpp, rotated):
// the trainer and `shelfwise quantize` both ship it. `sample_states` (d floats each) are hidden
// states the copy's prefix is chosen for (gru_code_rotation.hpp).
void add_gru_scoring_copy(BundleWriter& writer, const float* embeddings, const float* bias, std::size_t d, std::size_t n,
                          const std::vector<float>& sample_states, CopyChoice choice = {});

// How many items' one-event states the prefix is chosen for.
inline constexpr std::size_t kPrefixSampleItems = 64;

// The items (at most kPrefixSampleItems, repeats allowed) whose one-event states the prefix is
// chosen for: at evenly spaced quantiles of the popularity mass, since a request follows an event
// and events fall on items about in proportion to their popularity; evenly spaced over the
// catalogue where `popularity` is empty or holds no positive value. It matters: on the
// 100,000-item bench GRU a request after one of the 1,000 most popular items took 0.29 ms at
// m = 2 and 0.19 ms at m = 16, one after a uniformly drawn item 0.10 and 0.12 ms.
std::vector<std::uint32_t> prefix_sample_items(const float* popularity, std::size_t popularity_size, std::size_t n);

// The hidden states (d floats each) after one event of each of prefix_sample_items().
std::vector<float> one_event_states(const GruParameters& parameters, const std::vector<float>& popularity = {});

// Uniform float in [0, 1) from 24 random bits.
inline float uniform_float(SeededRandom& random) {
  return static_cast<float>(random.next_u64() >> 40) * (1.0f / 16777216.0f);
}

}  // namespace shelfwise::training
