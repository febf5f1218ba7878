// Catalogue-wide kernels of the GRU's request (gru_scorer.hpp): approximate scores of every item
// from an int8 copy of the item embeddings, and the threshold scans of the top-k selection.
//
// Layout of the int8 codes ("item blocks"): items in blocks of kItemsPerBlock; a block holds, for
// each pair of dimensions (2p, 2p+1), kItemsPerBlock x 2 bytes: item t's two codes at 2t, 2t+1.
// So a block of 16 items is one contiguous run of 16 x d bytes (d rounded up to even; the missing
// dimension and the items past the catalogue's end are zero codes), and i32x4.dot_i16x8 multiplies
// and adds each item's pair of codes in one lane. Int32 sums are exact, so their order is free.
//
// Two implementations, `reference::` (portable scalar C++) and the default one (wasm_simd128.h in
// a wasm build with SIMD, else the reference). They agree bit for bit: the float part of every
// score is, left to right, bias + (float(dot) * item_scale) * query_scale.
#pragma once

#include <cstddef>
#include <cstdint>

namespace shelfwise::gru_kernels {

inline constexpr std::size_t kItemsPerBlock = 16;

// Dimensions rounded up to even (pairs of codes).
inline constexpr std::size_t padded_dimensions(std::size_t dimensions) { return (dimensions + 1) & ~std::size_t{1}; }
// Items rounded up to whole blocks.
inline constexpr std::size_t padded_items(std::size_t items) {
  return (items + kItemsPerBlock - 1) / kItemsPerBlock * kItemsPerBlock;
}
// Bytes of the codes of `items` x `dimensions`.
inline constexpr std::size_t code_bytes(std::size_t items, std::size_t dimensions) {
  return padded_items(items) * padded_dimensions(dimensions);
}
// Offset of item `item`'s code of dimension `dimension` in the item blocks.
inline constexpr std::size_t code_offset(std::size_t item, std::size_t dimension, std::size_t dimensions) {
  return (item / kItemsPerBlock) * kItemsPerBlock * padded_dimensions(dimensions) +
         (dimension / 2) * (2 * kItemsPerBlock) + (item % kItemsPerBlock) * 2 + dimension % 2;
}

// out[i] = bias[i] + (float(sum_j codes(i, j) * query[j]) * item_scales[i]) * query_scale for
// i < items. `codes` in item blocks (code_bytes(items, dimensions) bytes); `query` holds
// padded_dimensions(dimensions) int16 (a zero at the padded end).
void approximate_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                        std::size_t dimensions, const std::int16_t* query, float query_scale, float* out);

// approximate_scores() over only the first `prefix_dimensions` (even, at most
// padded_dimensions(dimensions)) of each item's codes, in the same blocks: the first pass over a
// rotated copy, whose leading dimensions hold most of every score (gru_quantisation.hpp). With
// `tails` (else null), each score plus tail_weight * tails[i], in that order: with the rotated
// copy's tail norms, a bound of what the other codes can add.
void prefix_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                   std::size_t dimensions, std::size_t prefix_dimensions, const std::int16_t* query, float query_scale,
                   const float* tails, float tail_weight, float* out);

// sum_j codes(item, j) * query[j] over all dimensions: the integer dot of approximate_scores().
std::int32_t item_dot(const std::int8_t* codes, std::size_t item, std::size_t dimensions, const std::int16_t* query);

// sum_j row[j] * query[j] for j < count: an item's codes stored as one row (gru_quantisation.hpp).
std::int32_t row_dot(const std::int8_t* row, const std::int16_t* query, std::size_t count);

// Appends to `indices` (capacity `count` at least) every i < count with scores[i] >= threshold,
// in increasing order; returns how many it appended.
std::size_t indices_at_least(const float* scores, std::size_t count, float threshold, std::uint32_t* indices);

// The index of a block of kItemsPerBlock scores, starting at `begin`, that may hold a score
// above `threshold`: the first such block at or after `begin`, or `count` when none is left.
// Block boundaries are multiples of kItemsPerBlock; a partial last block is checked exactly.
std::size_t next_block_above(const float* scores, std::size_t begin, std::size_t count, float threshold);

// The GRU step's matrix-vector products, on a matrix stored by columns: for i < rows,
// sums[i] += columns[j * stride + i] * vector[j] for j = 0, 1, ..., count - 1 in that order (each
// row's sum in index order, as GruNetwork::step defines it; SIMD runs across rows).
void accumulate_columns(const float* columns, std::size_t stride, std::size_t rows, const float* vector, std::size_t count,
                        float* sums);

// True when the default kernels above are the wasm SIMD ones.
bool simd_enabled();

namespace reference {
void approximate_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                        std::size_t dimensions, const std::int16_t* query, float query_scale, float* out);
void prefix_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                   std::size_t dimensions, std::size_t prefix_dimensions, const std::int16_t* query, float query_scale,
                   const float* tails, float tail_weight, float* out);
std::int32_t item_dot(const std::int8_t* codes, std::size_t item, std::size_t dimensions, const std::int16_t* query);
// item_dot() over the pairs of dimensions [first_pair, end_pair) only.
std::int32_t pairs_dot(const std::int8_t* codes, std::size_t item, std::size_t dimensions, const std::int16_t* query,
                       std::size_t first_pair, std::size_t end_pair);
std::int32_t row_dot(const std::int8_t* row, const std::int16_t* query, std::size_t count);
std::size_t indices_at_least(const float* scores, std::size_t count, float threshold, std::uint32_t* indices);
std::size_t next_block_above(const float* scores, std::size_t begin, std::size_t count, float threshold);
void accumulate_columns(const float* columns, std::size_t stride, std::size_t rows, const float* vector, std::size_t count,
                        float* sums);
}  // namespace reference

}  // namespace shelfwise::gru_kernels
