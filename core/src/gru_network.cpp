#include "shelfwise/gru_network.hpp"

#include <type_traits>

#include "shelfwise/gru_kernels.hpp"
#include "shelfwise/portable_math.hpp"

namespace shelfwise {

void GruNetwork::step(std::uint32_t item, float* hidden, float* scratch) const {
  const std::size_t d = hidden_size_;
  float* input = scratch;              // x
  float* gates = scratch + d;          // 3d pre-activations: reset, update, candidate
  float* reset_hidden = scratch + 4 * d;  // r * h
  for (std::size_t j = 0; j < d; ++j) input[j] = embedding(item, j);
  // Each pre-activation is gate_bias + sum_j W[row, j] x_j + sum_j U[row, j] h_j, added in that order.
  for (std::size_t row = 0; row < 3 * d; ++row) gates[row] = gate_bias_[row];
  gru_kernels::accumulate_columns(input_columns_.data(), 3 * d, 3 * d, input, d, gates);
  gru_kernels::accumulate_columns(hidden_columns_.data(), 3 * d, 2 * d, hidden, d, gates);
  for (std::size_t i = 0; i < d; ++i) {
    reset_hidden[i] = portable_sigmoid(gates[i]) * hidden[i];
    gates[d + i] = portable_sigmoid(gates[d + i]);  // z
  }
  gru_kernels::accumulate_columns(hidden_columns_.data() + 2 * d, 3 * d, d, reset_hidden, d, gates + 2 * d);
  for (std::size_t i = 0; i < d; ++i) {
    const float candidate = portable_tanh(gates[2 * d + i]);
    const float update = gates[d + i];
    hidden[i] = (1.0f - update) * hidden[i] + update * candidate;
  }
}

namespace {

// score_items over embeddings of `Element` (float, or uint16_t halves widened exactly).
template <typename Element>
void score_rows(const Element* embeddings, const float* bias, std::size_t n, std::size_t d, const float* hidden, float* scores) {
  // Item-contiguous inner loop: clang/gcc vectorise it without reassociating any sum, so each
  // score still adds its d terms in order; blocks keep the scores of a block in L1.
  constexpr std::size_t kBlock = 1024;
  for (std::size_t begin = 0; begin < n; begin += kBlock) {
    const std::size_t end = begin + kBlock < n ? begin + kBlock : n;
    for (std::size_t i = begin; i < end; ++i) scores[i] = bias[i];
    for (std::size_t j = 0; j < d; ++j) {
      const float weight = hidden[j];
      const Element* row = embeddings + j * n;
      for (std::size_t i = begin; i < end; ++i) {
        if constexpr (std::is_same_v<Element, float>) {
          scores[i] += weight * row[i];
        } else {
          scores[i] += weight * half_to_float(row[i]);
        }
      }
    }
  }
}

}  // namespace

void GruNetwork::score_items(const float* hidden, float* scores) const {
  if (half_embeddings_ != nullptr) {
    score_rows(half_embeddings_, item_bias_.data(), item_count_, hidden_size_, hidden, scores);
  } else {
    score_rows(item_embeddings_.data(), item_bias_.data(), item_count_, hidden_size_, hidden, scores);
  }
}

}  // namespace shelfwise
