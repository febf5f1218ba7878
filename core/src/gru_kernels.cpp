// The default GRU kernels: wasm SIMD where the build has it, SSE2 (the x86-64 baseline) in a
// native x86-64 build, else the scalar reference. SIMD runs across items (16 per block, 4 per lane
// group), so each item's float work is the reference's; the two SIMD flavours are the same
// algorithm (i32x4.dot_i16x8 is SSE2's pmaddwd), which keeps wasm_over_native a like-for-like ratio.
#include "shelfwise/gru_kernels.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
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

void accumulate_columns(const float* columns, std::size_t stride, std::size_t rows, const float* vector, std::size_t count,
                        float* sums) {
  std::size_t begin = 0;
  for (; begin + 16 <= rows; begin += 16) {
    v128_t sum0 = wasm_v128_load(sums + begin);
    v128_t sum1 = wasm_v128_load(sums + begin + 4);
    v128_t sum2 = wasm_v128_load(sums + begin + 8);
    v128_t sum3 = wasm_v128_load(sums + begin + 12);
    for (std::size_t j = 0; j < count; ++j) {
      const float* column = columns + j * stride + begin;
      const v128_t weight = wasm_f32x4_splat(vector[j]);
      sum0 = wasm_f32x4_add(sum0, wasm_f32x4_mul(wasm_v128_load(column), weight));
      sum1 = wasm_f32x4_add(sum1, wasm_f32x4_mul(wasm_v128_load(column + 4), weight));
      sum2 = wasm_f32x4_add(sum2, wasm_f32x4_mul(wasm_v128_load(column + 8), weight));
      sum3 = wasm_f32x4_add(sum3, wasm_f32x4_mul(wasm_v128_load(column + 12), weight));
    }
    wasm_v128_store(sums + begin, sum0);
    wasm_v128_store(sums + begin + 4, sum1);
    wasm_v128_store(sums + begin + 8, sum2);
    wasm_v128_store(sums + begin + 12, sum3);
  }
  if (begin < rows) reference::accumulate_columns(columns + begin, stride, rows - begin, vector, count, sums + begin);
}

#elif defined(__SSE2__)

bool simd_enabled() { return false; }

namespace {

// Sign-extends the low / high eight int8 of `bytes` to int16.
inline __m128i extend_low(__m128i bytes) { return _mm_srai_epi16(_mm_unpacklo_epi8(bytes, bytes), 8); }
inline __m128i extend_high(__m128i bytes) { return _mm_srai_epi16(_mm_unpackhi_epi8(bytes, bytes), 8); }

inline bool any_above(const float* scores, __m128 limit, bool or_equal) {
  __m128 any;
  if (or_equal) {
    any = _mm_or_ps(_mm_or_ps(_mm_cmpge_ps(_mm_loadu_ps(scores), limit), _mm_cmpge_ps(_mm_loadu_ps(scores + 4), limit)),
                    _mm_or_ps(_mm_cmpge_ps(_mm_loadu_ps(scores + 8), limit), _mm_cmpge_ps(_mm_loadu_ps(scores + 12), limit)));
  } else {
    any = _mm_or_ps(_mm_or_ps(_mm_cmpgt_ps(_mm_loadu_ps(scores), limit), _mm_cmpgt_ps(_mm_loadu_ps(scores + 4), limit)),
                    _mm_or_ps(_mm_cmpgt_ps(_mm_loadu_ps(scores + 8), limit), _mm_cmpgt_ps(_mm_loadu_ps(scores + 12), limit)));
  }
  return _mm_movemask_ps(any) != 0;
}

}  // namespace

void approximate_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                        std::size_t dimensions, const std::int16_t* query, float query_scale, float* out) {
  const std::size_t pairs = padded_dimensions(dimensions) / 2;
  const std::size_t block_bytes = kItemsPerBlock * 2 * pairs;
  const __m128 scale = _mm_set1_ps(query_scale);
  std::size_t begin = 0;
  for (; begin + kItemsPerBlock <= items; begin += kItemsPerBlock) {
    const std::int8_t* block = codes + (begin / kItemsPerBlock) * block_bytes;
    __m128i dot0 = _mm_setzero_si128();
    __m128i dot1 = dot0;
    __m128i dot2 = dot0;
    __m128i dot3 = dot0;
    for (std::size_t pair = 0; pair < pairs; ++pair) {
      std::int32_t pair_bits;
      __builtin_memcpy(&pair_bits, query + 2 * pair, sizeof(pair_bits));
      const __m128i weights = _mm_set1_epi32(pair_bits);
      const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + pair * 2 * kItemsPerBlock));
      const __m128i second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + pair * 2 * kItemsPerBlock + 16));
      dot0 = _mm_add_epi32(dot0, _mm_madd_epi16(extend_low(first), weights));
      dot1 = _mm_add_epi32(dot1, _mm_madd_epi16(extend_high(first), weights));
      dot2 = _mm_add_epi32(dot2, _mm_madd_epi16(extend_low(second), weights));
      dot3 = _mm_add_epi32(dot3, _mm_madd_epi16(extend_high(second), weights));
    }
    const __m128i dots[4] = {dot0, dot1, dot2, dot3};
    for (std::size_t group = 0; group < 4; ++group) {
      const std::size_t item = begin + 4 * group;
      const __m128 scaled = _mm_mul_ps(_mm_mul_ps(_mm_cvtepi32_ps(dots[group]), _mm_loadu_ps(item_scales + item)), scale);
      _mm_storeu_ps(out + item, _mm_add_ps(_mm_loadu_ps(bias + item), scaled));
    }
  }
  if (begin < items) {
    reference::approximate_scores(codes + (begin / kItemsPerBlock) * block_bytes, item_scales + begin, bias + begin,
                                  items - begin, dimensions, query, query_scale, out + begin);
  }
}

std::size_t indices_at_least(const float* scores, std::size_t count, float threshold, std::uint32_t* indices) {
  const __m128 limit = _mm_set1_ps(threshold);
  std::size_t found = 0;
  std::size_t item = 0;
  for (; item + 16 <= count; item += 16) {
    if (!any_above(scores + item, limit, true)) continue;
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
  const __m128 limit = _mm_set1_ps(threshold);
  std::size_t block = begin;
  for (; block + kItemsPerBlock <= count; block += kItemsPerBlock) {
    if (any_above(scores + block, limit, false)) return block;
  }
  return reference::next_block_above(scores, block, count, threshold);
}

void accumulate_columns(const float* columns, std::size_t stride, std::size_t rows, const float* vector, std::size_t count,
                        float* sums) {
  reference::accumulate_columns(columns, stride, rows, vector, count, sums);
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

void accumulate_columns(const float* columns, std::size_t stride, std::size_t rows, const float* vector, std::size_t count,
                        float* sums) {
  reference::accumulate_columns(columns, stride, rows, vector, count, sums);
}

#endif

}  // namespace shelfwise::gru_kernels
