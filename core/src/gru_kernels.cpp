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

namespace {

// The lane operations of the int8 block loop (approximate_scores, at the end of the file).
struct Lanes {
  using Ints = v128_t;
  static Ints zero() { return wasm_i32x4_splat(0); }
  // (query[2p], query[2p+1]) in every pair of int16 lanes.
  static Ints pair_weights(const std::int16_t* pair) { return wasm_v128_load32_splat(pair); }
  static Ints load(const std::int8_t* bytes) { return wasm_v128_load(bytes); }
  // One item's eight pairs of codes from eight consecutive pairs of its block (2 bytes each, 2 x
  // kItemsPerBlock apart), as the 16 bytes of one vector.
  static Ints gather_pairs(const std::int8_t* lane) {
    Ints pairs = wasm_i32x4_splat(0);
    pairs = wasm_v128_load16_lane(lane, pairs, 0);
    pairs = wasm_v128_load16_lane(lane + 2 * kItemsPerBlock, pairs, 1);
    pairs = wasm_v128_load16_lane(lane + 4 * kItemsPerBlock, pairs, 2);
    pairs = wasm_v128_load16_lane(lane + 6 * kItemsPerBlock, pairs, 3);
    pairs = wasm_v128_load16_lane(lane + 8 * kItemsPerBlock, pairs, 4);
    pairs = wasm_v128_load16_lane(lane + 10 * kItemsPerBlock, pairs, 5);
    pairs = wasm_v128_load16_lane(lane + 12 * kItemsPerBlock, pairs, 6);
    return wasm_v128_load16_lane(lane + 14 * kItemsPerBlock, pairs, 7);
  }
  static Ints load_query(const std::int16_t* query) { return wasm_v128_load(query); }
  static std::int32_t sum_lanes(Ints sums) {
    return wasm_i32x4_extract_lane(sums, 0) + wasm_i32x4_extract_lane(sums, 1) + wasm_i32x4_extract_lane(sums, 2) +
           wasm_i32x4_extract_lane(sums, 3);
  }
  static Ints dot_low(Ints sum, Ints bytes, Ints weights) {
    return wasm_i32x4_add(sum, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(bytes), weights));
  }
  static Ints dot_high(Ints sum, Ints bytes, Ints weights) {
    return wasm_i32x4_add(sum, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(bytes), weights));
  }
  // bias + dot * item_scale * query_scale for four items
  static v128_t score(Ints dot, const float* item_scales, const float* bias, float query_scale) {
    const v128_t scaled = wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(dot), wasm_v128_load(item_scales)),
                                         wasm_f32x4_splat(query_scale));
    return wasm_f32x4_add(wasm_v128_load(bias), scaled);
  }
  // out[0..3] = score(...)
  static void store_scores(Ints dot, const float* item_scales, const float* bias, float query_scale, float* out) {
    wasm_v128_store(out, score(dot, item_scales, bias, query_scale));
  }
  // out[0..3] = score(...) + tail_weight * tails[0..3]
  static void store_with_tails(Ints dot, const float* item_scales, const float* bias, float query_scale, const float* tails,
                               float tail_weight, float* out) {
    const v128_t tail = wasm_f32x4_mul(wasm_f32x4_splat(tail_weight), wasm_v128_load(tails));
    wasm_v128_store(out, wasm_f32x4_add(score(dot, item_scales, bias, query_scale), tail));
  }
};

}  // namespace

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

// The lane operations of the int8 block loop (approximate_scores, at the end of the file).
struct Lanes {
  using Ints = __m128i;
  static Ints zero() { return _mm_setzero_si128(); }
  static Ints pair_weights(const std::int16_t* pair) {
    std::int32_t pair_bits;
    __builtin_memcpy(&pair_bits, pair, sizeof(pair_bits));
    return _mm_set1_epi32(pair_bits);
  }
  static Ints load(const std::int8_t* bytes) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes)); }
  static int pair_at(const std::int8_t* bytes) {
    std::int16_t pair;
    __builtin_memcpy(&pair, bytes, sizeof(pair));
    return pair;
  }
  // One item's eight pairs of codes from eight consecutive pairs of its block (2 bytes each, 2 x
  // kItemsPerBlock apart), as the 16 bytes of one vector.
  static Ints gather_pairs(const std::int8_t* lane) {
    Ints pairs = _mm_cvtsi32_si128(pair_at(lane) & 0xffff);
    pairs = _mm_insert_epi16(pairs, pair_at(lane + 2 * kItemsPerBlock), 1);
    pairs = _mm_insert_epi16(pairs, pair_at(lane + 4 * kItemsPerBlock), 2);
    pairs = _mm_insert_epi16(pairs, pair_at(lane + 6 * kItemsPerBlock), 3);
    pairs = _mm_insert_epi16(pairs, pair_at(lane + 8 * kItemsPerBlock), 4);
    pairs = _mm_insert_epi16(pairs, pair_at(lane + 10 * kItemsPerBlock), 5);
    pairs = _mm_insert_epi16(pairs, pair_at(lane + 12 * kItemsPerBlock), 6);
    return _mm_insert_epi16(pairs, pair_at(lane + 14 * kItemsPerBlock), 7);
  }
  static Ints load_query(const std::int16_t* query) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(query)); }
  static std::int32_t sum_lanes(Ints sums) {
    const __m128i halves = _mm_add_epi32(sums, _mm_shuffle_epi32(sums, _MM_SHUFFLE(1, 0, 3, 2)));
    return _mm_cvtsi128_si32(_mm_add_epi32(halves, _mm_shuffle_epi32(halves, _MM_SHUFFLE(2, 3, 0, 1))));
  }
  static Ints dot_low(Ints sum, Ints bytes, Ints weights) { return _mm_add_epi32(sum, _mm_madd_epi16(extend_low(bytes), weights)); }
  static Ints dot_high(Ints sum, Ints bytes, Ints weights) { return _mm_add_epi32(sum, _mm_madd_epi16(extend_high(bytes), weights)); }
  static __m128 score(Ints dot, const float* item_scales, const float* bias, float query_scale) {
    const __m128 scaled = _mm_mul_ps(_mm_mul_ps(_mm_cvtepi32_ps(dot), _mm_loadu_ps(item_scales)), _mm_set1_ps(query_scale));
    return _mm_add_ps(_mm_loadu_ps(bias), scaled);
  }
  static void store_scores(Ints dot, const float* item_scales, const float* bias, float query_scale, float* out) {
    _mm_storeu_ps(out, score(dot, item_scales, bias, query_scale));
  }
  static void store_with_tails(Ints dot, const float* item_scales, const float* bias, float query_scale, const float* tails,
                               float tail_weight, float* out) {
    const __m128 tail = _mm_mul_ps(_mm_set1_ps(tail_weight), _mm_loadu_ps(tails));
    _mm_storeu_ps(out, _mm_add_ps(score(dot, item_scales, bias, query_scale), tail));
  }
};

}  // namespace

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

void prefix_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                   std::size_t dimensions, std::size_t prefix_dimensions, const std::int16_t* query, float query_scale,
                   const float* tails, float tail_weight, float* out) {
  reference::prefix_scores(codes, item_scales, bias, items, dimensions, prefix_dimensions, query, query_scale, tails, tail_weight,
                           out);
}

std::int32_t item_dot(const std::int8_t* codes, std::size_t item, std::size_t dimensions, const std::int16_t* query) {
  return reference::item_dot(codes, item, dimensions, query);
}

std::int32_t row_dot(const std::int8_t* row, const std::int16_t* query, std::size_t count) {
  return reference::row_dot(row, query, count);
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


#if defined(__wasm_simd128__) || defined(__SSE2__)

// One block loop for both SIMD flavours: 16 items per block, 4 int32 sums of 4 items each, every
// item's integer dot product exactly the scalar reference's.
void prefix_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                   std::size_t dimensions, std::size_t prefix_dimensions, const std::int16_t* query, float query_scale,
                   const float* tails, float tail_weight, float* out) {
  const std::size_t pairs = padded_dimensions(dimensions) / 2;
  const std::size_t prefix_pairs = prefix_dimensions / 2;
  const std::size_t block_bytes = kItemsPerBlock * 2 * pairs;
  std::size_t begin = 0;
  for (; begin + kItemsPerBlock <= items; begin += kItemsPerBlock) {
    const std::int8_t* block = codes + (begin / kItemsPerBlock) * block_bytes;
    Lanes::Ints dots[4] = {Lanes::zero(), Lanes::zero(), Lanes::zero(), Lanes::zero()};
    for (std::size_t pair = 0; pair < prefix_pairs; ++pair) {
      const Lanes::Ints weights = Lanes::pair_weights(query + 2 * pair);
      const Lanes::Ints first = Lanes::load(block + pair * 2 * kItemsPerBlock);         // items 0..7
      const Lanes::Ints second = Lanes::load(block + pair * 2 * kItemsPerBlock + 16);   // items 8..15
      dots[0] = Lanes::dot_low(dots[0], first, weights);
      dots[1] = Lanes::dot_high(dots[1], first, weights);
      dots[2] = Lanes::dot_low(dots[2], second, weights);
      dots[3] = Lanes::dot_high(dots[3], second, weights);
    }
    for (std::size_t group = 0; group < 4; ++group) {
      const std::size_t item = begin + 4 * group;
      if (tails == nullptr) {
        Lanes::store_scores(dots[group], item_scales + item, bias + item, query_scale, out + item);
      } else {
        Lanes::store_with_tails(dots[group], item_scales + item, bias + item, query_scale, tails + item, tail_weight, out + item);
      }
    }
  }
  if (begin < items) {
    reference::prefix_scores(codes + (begin / kItemsPerBlock) * block_bytes, item_scales + begin, bias + begin,
                             items - begin, dimensions, prefix_dimensions, query, query_scale,
                             tails == nullptr ? nullptr : tails + begin, tail_weight, out + begin);
  }
}

// Eight pairs of the item's codes per vector against eight pairs of the query, the last few
// pairs as the reference sums them (int32 sums are exact, so the order is free).
std::int32_t item_dot(const std::int8_t* codes, std::size_t item, std::size_t dimensions, const std::int16_t* query) {
  const std::size_t pairs = padded_dimensions(dimensions) / 2;
  const std::int8_t* lane = codes + code_offset(item, 0, dimensions);
  Lanes::Ints sums = Lanes::zero();
  std::size_t pair = 0;
  for (; pair + 8 <= pairs; pair += 8) {
    const Lanes::Ints codes16 = Lanes::gather_pairs(lane + pair * 2 * kItemsPerBlock);
    sums = Lanes::dot_low(sums, codes16, Lanes::load_query(query + 2 * pair));
    sums = Lanes::dot_high(sums, codes16, Lanes::load_query(query + 2 * pair + 8));
  }
  return Lanes::sum_lanes(sums) + reference::pairs_dot(codes, item, dimensions, query, pair, pairs);
}

// Sixteen codes per vector, widened to int16 and multiplied by the query's in pairs.
std::int32_t row_dot(const std::int8_t* row, const std::int16_t* query, std::size_t count) {
  Lanes::Ints sums = Lanes::zero();
  std::size_t j = 0;
  for (; j + 16 <= count; j += 16) {
    const Lanes::Ints codes16 = Lanes::load(row + j);
    sums = Lanes::dot_low(sums, codes16, Lanes::load_query(query + j));
    sums = Lanes::dot_high(sums, codes16, Lanes::load_query(query + j + 8));
  }
  return Lanes::sum_lanes(sums) + reference::row_dot(row + j, query + j, count - j);
}

#endif

void approximate_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                        std::size_t dimensions, const std::int16_t* query, float query_scale, float* out) {
  prefix_scores(codes, item_scales, bias, items, dimensions, padded_dimensions(dimensions), query, query_scale, nullptr, 0.0f, out);
}

}  // namespace shelfwise::gru_kernels
