// The default kernels: wasm SIMD where the build has it, else the scalar reference. Each SIMD
// kernel reproduces the reference's order of float operations (factor_kernels.hpp), and runs
// four rows side by side so the adds of one row never wait on each other in a single chain.
#include "shelfwise/factor_kernels.hpp"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace shelfwise::kernels {

#ifdef __wasm_simd128__
namespace {

// (s0 + s2) + (s1 + s3) of the four lanes, as the reference combines its partial sums.
inline float combine_lanes(v128_t lanes) {
  const v128_t pairs = wasm_f32x4_add(lanes, wasm_i32x4_shuffle(lanes, lanes, 2, 3, 0, 1));
  const v128_t total = wasm_f32x4_add(pairs, wasm_i32x4_shuffle(pairs, pairs, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(total, 0);
}

// Four halves widened to floats by the magic multiply of half_to_float().
inline v128_t load_halves(const std::uint16_t* halves) {
  const v128_t bits = wasm_u32x4_load16x4(halves);
  const v128_t magnitude = wasm_i32x4_shl(wasm_v128_and(bits, wasm_i32x4_splat(0x7FFF)), 13);
  const v128_t scaled = wasm_f32x4_mul(magnitude, wasm_f32x4_splat(5.192296858534828e33f));
  const v128_t sign = wasm_i32x4_shl(wasm_v128_and(bits, wasm_i32x4_splat(0x8000)), 16);
  return wasm_v128_or(scaled, sign);
}

inline v128_t load_floats(const float* values) { return wasm_v128_load(values); }

template <typename Row, v128_t (*Load)(const Row*)>
void score_float_rows(const Row* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
  std::size_t r = 0;
  for (; r + 4 <= count; r += 4) {
    const Row* row0 = rows + r * dim;
    const Row* row1 = row0 + dim;
    const Row* row2 = row1 + dim;
    const Row* row3 = row2 + dim;
    v128_t acc0 = wasm_f32x4_splat(0.0f);
    v128_t acc1 = acc0;
    v128_t acc2 = acc0;
    v128_t acc3 = acc0;
    for (std::size_t i = 0; i < dim; i += 4) {
      const v128_t q = wasm_v128_load(query + i);
      acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(Load(row0 + i), q));
      acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(Load(row1 + i), q));
      acc2 = wasm_f32x4_add(acc2, wasm_f32x4_mul(Load(row2 + i), q));
      acc3 = wasm_f32x4_add(acc3, wasm_f32x4_mul(Load(row3 + i), q));
    }
    out[r] = combine_lanes(acc0);
    out[r + 1] = combine_lanes(acc1);
    out[r + 2] = combine_lanes(acc2);
    out[r + 3] = combine_lanes(acc3);
  }
  for (; r < count; ++r) {
    const Row* row = rows + r * dim;
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (std::size_t i = 0; i < dim; i += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(Load(row + i), wasm_v128_load(query + i)));
    out[r] = combine_lanes(acc);
  }
}

// int32 dot product of 8-byte-aligned runs: int8 rows widened to int16, pairs multiplied and
// added by i32x4.dot_i16x8 (exact, so its order is free).
inline std::int32_t dot_i8_i16(const std::int8_t* row, const std::int16_t* query, std::size_t dim) {
  v128_t acc = wasm_i32x4_splat(0);
  for (std::size_t i = 0; i < dim; i += 8) {
    acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(wasm_i16x8_load8x8(row + i), wasm_v128_load(query + i)));
  }
  return wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) + wasm_i32x4_extract_lane(acc, 2) +
         wasm_i32x4_extract_lane(acc, 3);
}

}  // namespace

bool simd_enabled() { return true; }

void score_f32(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
  score_float_rows<float, load_floats>(rows, count, dim, query, out);
}

void score_f16(const std::uint16_t* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
  score_float_rows<std::uint16_t, load_halves>(rows, count, dim, query, out);
}

void score_i8(const std::int8_t* rows, const float* row_scales, std::size_t count, std::size_t dim,
              const std::int16_t* query, float query_scale, float* out) {
  for (std::size_t r = 0; r < count; ++r) {
    const std::int32_t dot = dot_i8_i16(rows + r * dim, query, dim);
    out[r] = static_cast<float>(dot) * row_scales[r] * query_scale;
  }
}

void score_pq(const std::uint8_t* codes, std::size_t count, std::size_t subspaces, const float* lookup, float* out) {
  // Lanes are four rows; each lane adds its subspaces left to right like the reference.
  std::size_t r = 0;
  for (; r + 4 <= count; r += 4) {
    const std::uint8_t* code0 = codes + r * subspaces;
    const std::uint8_t* code1 = code0 + subspaces;
    const std::uint8_t* code2 = code1 + subspaces;
    const std::uint8_t* code3 = code2 + subspaces;
    v128_t sum = wasm_f32x4_make(lookup[code0[0]], lookup[code1[0]], lookup[code2[0]], lookup[code3[0]]);
    for (std::size_t s = 1; s < subspaces; ++s) {
      const float* table = lookup + s * kPqCentroids;
      sum = wasm_f32x4_add(sum, wasm_f32x4_make(table[code0[s]], table[code1[s]], table[code2[s]], table[code3[s]]));
    }
    wasm_v128_store(out + r, sum);
  }
  reference::score_pq(codes + r * subspaces, count - r, subspaces, lookup, out + r);
}

#else

bool simd_enabled() { return false; }

void score_f32(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
  reference::score_f32(rows, count, dim, query, out);
}

void score_f16(const std::uint16_t* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
  reference::score_f16(rows, count, dim, query, out);
}

void score_i8(const std::int8_t* rows, const float* row_scales, std::size_t count, std::size_t dim,
              const std::int16_t* query, float query_scale, float* out) {
  reference::score_i8(rows, row_scales, count, dim, query, query_scale, out);
}

void score_pq(const std::uint8_t* codes, std::size_t count, std::size_t subspaces, const float* lookup, float* out) {
  reference::score_pq(codes, count, subspaces, lookup, out);
}

#endif

}  // namespace shelfwise::kernels
