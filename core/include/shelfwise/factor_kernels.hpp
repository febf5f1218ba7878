// Catalogue-wide scoring kernels: one query against every row of an item-factor matrix stored as
// float32, float16, int8 with a scale per row, or product-quantised codes. The hot loop of the
// user-vector source (user_candidates.hpp).
//
// Two implementations of every kernel: `reference::` (portable scalar C++) and the default one,
// which in a wasm build with SIMD (__wasm_simd128__) uses wasm_simd128.h and elsewhere is the
// reference. They agree bit for bit, because every kernel fixes its order of float operations:
//   f32, f16: four partial sums, lane j taking elements i = j (mod 4) in increasing i, combined
//             as (s0 + s2) + (s1 + s3); f16 rows are first widened exactly (half_float.hpp).
//   int8:     the int32 dot product of the row and the int16 query (exact), then
//             float(dot) * row_scale * query_scale, multiplied left to right.
//   pq:       lookup[0][code0] + lookup[1][code1] + ... added left to right.
// So native and wasm rank identically (the eval parity tests), and the SIMD path is checked
// against the reference (tests/wasm/factor_kernels_check.cpp, run by node:test).
//
// Preconditions (validated when a bundle is loaded, item_factors.cpp): `dim` is a multiple of 8;
// rows are contiguous; `out` has `count` floats; pq codes index 256-entry tables.
#pragma once

#include <cstddef>
#include <cstdint>

namespace shelfwise::kernels {

inline constexpr std::size_t kPqCentroids = 256;
// int16 range used for the quantised query of the int8 kernel.
inline constexpr float kQueryQuantisationLevels = 32767.0f;

// Quantises `query` to int16 for score_i8: values[i] = round(query[i] / scale), scale =
// max|query| / 32767 (0 for an all-zero query, which then scores 0 everywhere).
void quantise_query(const float* query, std::size_t dim, std::int16_t* values, float* scale);
// The 256-entry table of each subspace for score_pq: lookup[s * 256 + c] = dot(query slice s,
// centroid c of subspace s); codebooks are [subspaces][256][dim / subspaces].
void build_pq_lookup(const float* query, std::size_t dim, std::size_t subspaces, const float* codebooks, float* lookup);

void score_f32(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out);
void score_f16(const std::uint16_t* rows, std::size_t count, std::size_t dim, const float* query, float* out);
void score_i8(const std::int8_t* rows, const float* row_scales, std::size_t count, std::size_t dim,
              const std::int16_t* query, float query_scale, float* out);
void score_pq(const std::uint8_t* codes, std::size_t count, std::size_t subspaces, const float* lookup, float* out);

// True when the default kernels above are the wasm SIMD ones.
bool simd_enabled();

namespace reference {
void score_f32(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out);
void score_f16(const std::uint16_t* rows, std::size_t count, std::size_t dim, const float* query, float* out);
void score_i8(const std::int8_t* rows, const float* row_scales, std::size_t count, std::size_t dim,
              const std::int16_t* query, float query_scale, float* out);
void score_pq(const std::uint8_t* codes, std::size_t count, std::size_t subspaces, const float* lookup, float* out);
}  // namespace reference

}  // namespace shelfwise::kernels
