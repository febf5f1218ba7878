// The int8 scoring copy of a GRU's item embeddings (gru_network.hpp), computed once by the
// trainer and shipped in the bundle: computing it on the device cost a cold start 120-160 ms of
// baseline wasm and left megabytes of temporaries in the heap. Bundles published before the copy
// was stored still load; the reader then computes it with this same function.
//
// Item i's embedding column e_i = scale_i * q_i + r_i, with q_i int8 in [-127, 127]
// (scale_i = max|e_i| / 127), stored as gru_kernels.hpp's item blocks. residual_norms[i] =
// ||r_i||_2 and magnitudes[i] = ||e_i||_2 + ||r_i||_2 (>= ||scale_i q_i||_2), both rounded up:
// they bound the error of a score computed from the codes (gru_scorer.cpp).
//
// Tensors (n = item count, d = hidden size):
//   gru.item_codes            i8  [code_bytes(n, d)]   the item blocks
//   gru.item_code_scales      f32 [n]
//   gru.item_residual_norms   f32 [n]
//   gru.item_magnitudes       f32 [n]
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace shelfwise {

struct GruQuantisedEmbeddings {
  std::vector<std::int8_t> codes;
  std::vector<float> scales;
  std::vector<float> residual_norms;
  std::vector<float> magnitudes;
};

// `embeddings` is [d, n], dimension-major (gru.item_embeddings). Deterministic: the native
// trainer and the wasm reader compute the same bytes.
GruQuantisedEmbeddings quantise_gru_embeddings(const float* embeddings, std::size_t d, std::size_t n);

}  // namespace shelfwise
