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
//
// A rotated copy (format v5, written by the trainer) quantises R e_i instead of e_i, where R is
// an orthonormal d x d matrix whose first rows are the embeddings' principal directions, so that
// the first m coordinates carry most of every score. The scorer then sums only the first m
// codes of every item, bounds the rest by Cauchy-Schwarz with the tails below, and finishes only
// the items that bound cannot rule out (gru_scorer.cpp). A GRU's hidden units cannot be rotated
// (its gates act per unit), so the rotation lives in the copy alone: the request rotates its
// hidden state, O(d^2). Norms and magnitudes are those of R e_i and its residual.
//   gru.code_rotation           f32 [d, d]  column r is direction r: (R x)_r = sum_k rotation[k, r] x_k
//   gru.item_code_tails         f32 [n]     scale_i * ||(q_i)_{m..d-1}||_2, rounded up
//   gru.code_prefix_dimensions  u32 [1]     m, even, 2 <= m <= d rounded up to even
// From format v6, a rotated copy with m below d rounded up to even (d') keeps only the first m
// codes of each item in the blocks (gru.item_codes is then code_bytes(n, m) bytes), and every
// code again in item rows: finishing one item then reads one row of d' bytes instead of d' / 4
// cache lines of blocks, for n m more bytes (a v5 rotated copy, codes all in blocks, still loads):
//   gru.item_code_rows          i8  [n, d']  row i: item i's codes 0..d'-1
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
  // A rotated copy's extras; empty and 0 for a copy of the embeddings as they are.
  std::vector<float> rotation;
  std::vector<float> tails;
  std::uint32_t prefix_dimensions = 0;
  std::vector<std::int8_t> code_rows;  // after add_code_rows(); then `codes` hold the prefix only
};

// Every tensor of a scoring copy, as the trainer writes them.
inline const char* const kGruScoringCopyTensors[] = {
    "gru.item_codes",      "gru.item_code_scales", "gru.item_residual_norms",    "gru.item_magnitudes",
    "gru.item_code_tails", "gru.code_rotation",    "gru.code_prefix_dimensions", "gru.item_code_rows"};

// `embeddings` is [d, n], dimension-major (gru.item_embeddings). Deterministic: the native
// trainer and the wasm reader compute the same bytes.
GruQuantisedEmbeddings quantise_gru_embeddings(const float* embeddings, std::size_t d, std::size_t n);

// tails[i] = scales[i] * ||codes of item i from dimension `prefix` on||_2, rounded up to a float.
std::vector<float> code_tail_norms(const std::int8_t* codes, const float* scales, std::size_t d, std::size_t n,
                                   std::size_t prefix);

// Copies a rotated copy's codes into code_rows and keeps only the prefix's in the blocks (the v6
// layout above); a copy whose prefix is every dimension stays as it is.
void add_code_rows(GruQuantisedEmbeddings* copy, std::size_t d, std::size_t n);

// How far a stored rotation ([d, d], as gru.code_rotation) is from orthonormal: gamma =
// ||R R^T - I||_F and frobenius = ||R||_F, both computed in double and rounded up.
struct RotationCheck {
  double gamma = 0.0;
  double frobenius = 0.0;
};
RotationCheck check_rotation(const float* rotation, std::size_t d);

}  // namespace shelfwise
