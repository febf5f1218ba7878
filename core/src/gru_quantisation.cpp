#include "shelfwise/gru_quantisation.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "shelfwise/float_rounding.hpp"
#include "shelfwise/gru_kernels.hpp"

namespace shelfwise {
// Row by row (the tensor is dimension-major), so the pass streams the embeddings once per step.
GruQuantisedEmbeddings quantise_gru_embeddings(const float* embeddings, std::size_t d, std::size_t n) {
  GruQuantisedEmbeddings quantised;
  quantised.codes.assign(gru_kernels::code_bytes(n, d), 0);
  quantised.scales.assign(n, 0.0f);
  for (std::size_t j = 0; j < d; ++j) {
    const float* row = embeddings + j * n;
    for (std::size_t i = 0; i < n; ++i) quantised.scales[i] = std::max(quantised.scales[i], std::fabs(row[i]));
  }
  for (float& scale : quantised.scales) scale /= 127.0f;
  std::vector<double> residual_squares(n, 0.0);
  std::vector<double> value_squares(n, 0.0);
  for (std::size_t j = 0; j < d; ++j) {
    const float* row = embeddings + j * n;
    for (std::size_t i = 0; i < n; ++i) {
      const float scale = quantised.scales[i];
      const double value = row[i];
      long code = scale > 0.0f ? std::lround(value / static_cast<double>(scale)) : 0;
      code = std::clamp(code, -127L, 127L);
      quantised.codes[gru_kernels::code_offset(i, j, d)] = static_cast<std::int8_t>(code);
      const double residual = value - static_cast<double>(scale) * static_cast<double>(code);
      residual_squares[i] += residual * residual;
      value_squares[i] += value * value;
    }
  }
  quantised.residual_norms.resize(n);
  quantised.magnitudes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double residual_norm = std::sqrt(residual_squares[i]);
    quantised.residual_norms[i] = float_at_least(residual_norm);
    quantised.magnitudes[i] = float_at_least(std::sqrt(value_squares[i]) + residual_norm);
  }
  return quantised;
}

std::vector<float> code_tail_norms(const std::int8_t* codes, const float* scales, std::size_t d, std::size_t n,
                                   std::size_t prefix) {
  std::vector<float> tails(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t squares = 0;
    for (std::size_t j = prefix; j < d; ++j) {
      const std::int64_t code = codes[gru_kernels::code_offset(i, j, d)];
      squares += code * code;
    }
    tails[i] = float_at_least(static_cast<double>(scales[i]) * std::sqrt(static_cast<double>(squares)));
  }
  return tails;
}

void add_code_rows(GruQuantisedEmbeddings* copy, std::size_t d, std::size_t n) {
  const std::size_t padded = gru_kernels::padded_dimensions(d);
  const std::size_t prefix = copy->prefix_dimensions;
  if (prefix == 0 || prefix >= padded) return;
  std::vector<std::int8_t> blocks(gru_kernels::code_bytes(n, prefix), 0);
  copy->code_rows.assign(n * padded, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < padded; ++j) {
      const std::int8_t code = copy->codes[gru_kernels::code_offset(i, j, d)];
      copy->code_rows[i * padded + j] = code;
      if (j < prefix) blocks[gru_kernels::code_offset(i, j, prefix)] = code;
    }
  }
  copy->codes = std::move(blocks);
}

// Rows of the stored matrix are contiguous, and ||R R^T - I||_F = ||R^T R - I||_F (the same
// singular values), so the Gram matrix of the rows tells.
RotationCheck check_rotation(const float* rotation, std::size_t d) {
  double off_squares = 0.0;
  double norm_squares = 0.0;
  for (std::size_t a = 0; a < d; ++a) {
    const float* row_a = rotation + a * d;
    for (std::size_t b = a; b < d; ++b) {
      const float* row_b = rotation + b * d;
      double dot = 0.0;
      for (std::size_t k = 0; k < d; ++k) dot += static_cast<double>(row_a[k]) * row_b[k];
      if (a == b) norm_squares += dot;
      const double error = dot - (a == b ? 1.0 : 0.0);
      off_squares += (a == b ? 1.0 : 2.0) * error * error;
    }
  }
  // The double sums' own rounding is far below the margin (1 + 2^-20) added here.
  return {std::sqrt(off_squares) * (1.0 + std::ldexp(1.0, -20)) + std::ldexp(1.0, -40),
          std::sqrt(norm_squares) * (1.0 + std::ldexp(1.0, -20))};
}

}  // namespace shelfwise
