// A GRU4Rec-style next-item network (Hidasi et al. 2016/2018), read in place from a "gru" bundle:
// one GRU layer over item embeddings, and next-item scores against the same embeddings
// ("constrained" embeddings: one matrix is the input lookup and the output layer).
//
// Tensors (f32; d = hidden size, n = item count):
//   gru.item_embeddings  [d, n]   item i's embedding is column i. Dimension-major, so scoring the
//                                 catalogue streams one contiguous row of n per dimension. f32,
//                                 or f16 (`shelfwise quantize --dtype f16`: 40 % less bundle for
//                                 a diginetica GRU); halves widen to floats exactly, so every
//                                 computation below is the f32 one on the widened values.
//   gru.item_bias        [n]      output bias
//   gru.input_weights    [3d, d]  rows 0..d-1 reset gate, d..2d-1 update gate, 2d..3d-1 candidate
//   gru.hidden_weights   [3d, d]  same row blocks, applied to the previous hidden state
//   gru.gate_bias        [3d]
//
// One event (x = embedding of the item, h = previous hidden state, zeros at session start):
//   r  = sigmoid(Wr x + Ur h + br)        z = sigmoid(Wz x + Uz h + bz)
//   c  = tanh(Wc x + Uc (r * h) + bc)     h' = (1 - z) * h + z * c
// Scores: s_i = bias_i + sum_j h'_j E[j, i]. (A bpr-max model trained with an ELU on the scores
// ranks identically: ELU is monotonic.)
//
// Every sum runs in index order with no fused multiply-add and through portable_math.hpp, so the
// native and wasm builds compute bit-identical hidden states and scores.
//
// For the top-k of a request the scorer scans an int8 copy of the embeddings (a quarter of their
// bytes) that bounds the error of each score, and rescores only the items the bound cannot rule
// out (gru_scorer.cpp). The bundle carries that copy (gru_quantisation.hpp); from_bundle reads it
// in place, or computes it for a bundle published before it was stored.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/gru_quantisation.hpp"
#include "shelfwise/half_float.hpp"

namespace shelfwise {

// The int8 scoring sums d codes (|code| <= 128) times int16 query values (|value| <= 32767) in
// int32: exact up to d = 512.
inline constexpr std::size_t kMaxGruHiddenSize = 512;

class GruNetwork {
 public:
  // SHAPE_MISMATCH / BAD_TENSOR naming the tensor; values are finite (checked by read_bundle).
  static Result<GruNetwork> from_bundle(const Bundle& bundle);

  std::size_t hidden_size() const { return hidden_size_; }
  std::size_t item_count() const { return item_count_; }

  // Floats of scratch step() needs.
  std::size_t step_scratch_size() const { return 5 * hidden_size_; }

  // hidden (hidden_size floats) <- the state after `item` (< item_count). `scratch` holds
  // step_scratch_size() floats and must not alias `hidden`. O(d^2).
  void step(std::uint32_t item, float* hidden, float* scratch) const;

  // scores (item_count floats) <- every item's score after `hidden`. O(n d).
  void score_items(const float* hidden, float* scores) const;

  // s_item after `hidden`, with the very float operations of score_items().
  float score_item(const float* hidden, std::uint32_t item) const {
    float score = item_bias_[item];
    for (std::size_t j = 0; j < hidden_size_; ++j) score += hidden[j] * embedding(item, j);
    return score;
  }

  // The int8 embeddings (gru_quantisation.hpp), with the largest residual norm, magnitude and
  // |bias| over all items.
  struct QuantisedEmbeddings {
    ArrayView<std::int8_t> codes;
    ArrayView<float> scales;
    ArrayView<float> residual_norms;
    ArrayView<float> magnitudes;
    float max_residual_norm = 0.0f;
    float max_magnitude = 0.0f;
    float max_abs_bias = 0.0f;
    // A rotated copy (gru_quantisation.hpp): prefix_dimensions is 0 for one that is not.
    ArrayView<float> rotation;
    ArrayView<float> tails;
    std::size_t prefix_dimensions = 0;
    // A v6 copy's item rows of codes, [n, d'] (empty when the blocks hold every code).
    ArrayView<std::int8_t> code_rows;
    float max_tail = 0.0f;
    double rotation_gamma = 0.0;      // ||R R^T - I||_F, at most kMaxRotationError
    double rotation_frobenius = 0.0;  // ||R||_F
  };
  // How far from orthonormal a stored rotation may be (float rounding leaves about 1e-6).
  static constexpr double kMaxRotationError = 1.0 / 1024.0;
  const QuantisedEmbeddings& quantised() const { return quantised_; }
  const float* item_bias() const { return item_bias_.data(); }

  // Item `item`'s embedding coordinate `dimension` (the input of step()).
  float embedding(std::uint32_t item, std::size_t dimension) const {
    const std::size_t at = dimension * item_count_ + item;
    return half_embeddings_ != nullptr ? half_to_float(half_embeddings_[at]) : item_embeddings_[at];
  }
  // Whether the bundle stores the embeddings as f16.
  bool half_embeddings() const { return half_embeddings_ != nullptr; }

 private:
  std::size_t hidden_size_ = 0;
  std::size_t item_count_ = 0;
  ArrayView<float> item_embeddings_;                   // f32 embeddings, or empty
  const std::uint16_t* half_embeddings_ = nullptr;     // f16 embeddings, or null
  ArrayView<float> item_bias_;
  ArrayView<float> input_weights_;
  ArrayView<float> hidden_weights_;
  ArrayView<float> gate_bias_;
  QuantisedEmbeddings quantised_;
  // The copy computed at load for a bundle without one; the views above point into it.
  std::shared_ptr<const GruQuantisedEmbeddings> computed_;
  // input_weights and hidden_weights by columns ([d, 3d]), for gru_kernels::accumulate_columns.
  std::vector<float> input_columns_;
  std::vector<float> hidden_columns_;
};

}  // namespace shelfwise
