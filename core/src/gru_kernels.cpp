// The default GRU kernels: wasm SIMD where the build has it, else the scalar reference. SIMD runs
// across items (16 per block, 4 per lane group), so each item's float work is the reference's.
#include "shelfwise/gru_kernels.hpp"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace shelfwise::gru_kernels {

#ifdef __wasm_simd128__

bool simd_enabled() { return true; }

void approximate_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                        std::size_t dimensions, const std::int16_t* query, float query_scale, float* out) {
  const std::size_t pairs = padded_dimensions(dimensions) / 2;
  const std::size_t block_bytes = kItemsPerBlock * 2 * pairs;
  const v128_t scale = wasm_f32x4_splat(query_scale);
  std::size_t begin = 0;
  for (; begin + kItemsPerBlock <= items; begin += kItemsPerBlock) {
    const std::int8_t* block = codes + (begin / kItemsPerBlock) * block_bytes;
    v128_t dot0 = wasm_i32x4_splat(0);
    v128_t dot1 = dot0;
    v128_t dot2 = dot0;
    v128_t dot3 = dot0;
    for (std::size_t pair = 0; pair < pairs; ++pair) {
      // (query[2p], query[2p+1]) in every pair of int16 lanes.
      const v128_t weights = wasm_v128_load32_splat(query + 2 * pair);
      const v128_t first = wasm_v128_load(block + pair * 2 * kItemsPerBlock);        // items 0..7
      const v128_t second = wasm_v128_load(block + pair * 2 * kItemsPerBlock + 16);  // items 8..15
      dot0 = wasm_i32x4_add(dot0, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(first), weights));
      dot1 = wasm_i32x4_add(dot1, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(first), weights));
      dot2 = wasm_i32x4_add(dot2, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(second), weights));
      dot3 = wasm_i32x4_add(dot3, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(second), weights));
    }
    const v128_t dots[4] = {dot0, dot1, dot2, dot3};
    for (std::size_t group = 0; group < 4; ++group) {
      const std::size_t item = begin + 4 * group;
      const v128_t scaled = wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(dots[group]), wasm_v128_load(item_scales + item)), scale);
      wasm_v128_store(out + item, wasm_f32x4_add(wasm_v128_load(bias + item), scaled));
    }
  }
  if (begin < items) {
    reference::approximate_scores(codes + (begin / kItemsPerBlock) * block_bytes, item_scales + begin, bias + begin,
                                  items - begin, dimensions, query, query_scale, out + begin);
  }
}

std::size_t indices_at_least(const float* scores, std::size_t count, float threshold, std::uint32_t* indices) {
  const v128_t limit = wasm_f32x4_splat(threshold);
  std::size_t found = 0;
  std::size_t item = 0;
  for (; item + 16 <= count; item += 16) {
    const v128_t any = wasm_v128_or(
        wasm_v128_or(wasm_f32x4_ge(wasm_v128_load(scores + item), limit), wasm_f32x4_ge(wasm_v128_load(scores + item + 4), limit)),
        wasm_v128_or(wasm_f32x4_ge(wasm_v128_load(scores + item + 8), limit), wasm_f32x4_ge(wasm_v128_load(scores + item + 12), limit)));
    if (!wasm_v128_any_true(any)) continue;
    for (std::size_t lane = item; lane < item + 16; ++lane) {
      if (scores[lane] >= threshold) indices[found++] = static_cast<std::uint32_t>(lane);
    }
  }
  for (; item < count; ++item) {
    if (scores[item] >= threshold) indices[found++] = static_cast<std::uint32_t>(item);
  }
  return found;
}

std::size_t next_block_above(const float* scores, std::size_t begin, std::size_t count, float threshold) {
  const v128_t limit = wasm_f32x4_splat(threshold);
  std::size_t block = begin;
  for (; block + kItemsPerBlock <= count; block += kItemsPerBlock) {
    const v128_t any = wasm_v128_or(
        wasm_v128_or(wasm_f32x4_gt(wasm_v128_load(scores + block), limit), wasm_f32x4_gt(wasm_v128_load(scores + block + 4), limit)),
        wasm_v128_or(wasm_f32x4_gt(wasm_v128_load(scores + block + 8), limit), wasm_f32x4_gt(wasm_v128_load(scores + block + 12), limit)));
    if (wasm_v128_any_true(any)) return block;
  }
  return reference::next_block_above(scores, block, count, threshold);
}

#else

bool simd_enabled() { return false; }

void approximate_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                        std::size_t dimensions, const std::int16_t* query, float query_scale, float* out) {
  reference::approximate_scores(codes, item_scales, bias, items, dimensions, query, query_scale, out);
}

std::size_t indices_at_least(const float* scores, std::size_t count, float threshold, std::uint32_t* indices) {
  return reference::indices_at_least(scores, count, threshold, indices);
}

std::size_t next_block_above(const float* scores, std::size_t begin, std::size_t count, float threshold) {
  return reference::next_block_above(scores, begin, count, threshold);
}

#endif

}  // namespace shelfwise::gru_kernels
