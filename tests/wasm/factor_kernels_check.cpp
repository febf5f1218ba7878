// Property check of the default scoring kernels against the scalar reference, compiled by the
// Emscripten build (wasm/CMakeLists.txt) so it exercises the wasm SIMD kernels, which the
// native Catch2 suite cannot run; tests/js/user_vector.test.mjs runs it under Node and reads the
// JSON it prints. Random rows and queries over several widths and row counts (not multiples of
// the four rows the SIMD kernels take at once); every score must be within the float summation
// bound of an exact dot product, and the SIMD and scalar kernels must agree bit for bit. The GRU's
// kernels (gru_kernels.hpp: int8 item blocks, threshold scans) are checked the same way.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/gru_kernels.hpp"
#include "shelfwise/half_float.hpp"

namespace {

using namespace shelfwise;

std::uint64_t state = 0x9E3779B97F4A7C15ULL;
float uniform(float scale) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return scale * (static_cast<float>(state >> 40) / static_cast<float>(1ULL << 24) * 2.0f - 1.0f);
}

struct Tally {
  std::size_t scores = 0;
  std::size_t mismatched_bits = 0;
  std::size_t outside_bound = 0;
  double max_abs_diff = 0.0;  // default kernel vs reference
  void compare(const std::vector<float>& fast, const std::vector<float>& reference) {
    for (std::size_t i = 0; i < fast.size(); ++i) {
      ++scores;
      if (std::memcmp(&fast[i], &reference[i], sizeof(float)) != 0) ++mismatched_bits;
      max_abs_diff = std::fmax(max_abs_diff, std::fabs(static_cast<double>(fast[i]) - reference[i]));
    }
  }
  void bound(double score, double exact, double allowed) {
    if (!(std::fabs(score - exact) <= allowed)) ++outside_bound;
  }
};

}  // namespace

int main() {
  Tally tally;
  for (const std::size_t dim : {8, 16, 24, 64, 128, 256}) {
    for (const std::size_t count : {1, 3, 4, 17, 1001}) {
      std::vector<float> rows(count * dim);
      std::vector<float> query(dim);
      for (float& value : rows) value = uniform(2.0f);
      for (float& value : query) value = uniform(1.0f);
      std::vector<float> fast(count);
      std::vector<float> reference(count);
      // f32
      kernels::score_f32(rows.data(), count, dim, query.data(), fast.data());
      kernels::reference::score_f32(rows.data(), count, dim, query.data(), reference.data());
      tally.compare(fast, reference);
      for (std::size_t r = 0; r < count; ++r) {
        double exact = 0.0;
        double magnitude = 0.0;
        for (std::size_t i = 0; i < dim; ++i) {
          exact += static_cast<double>(rows[r * dim + i]) * query[i];
          magnitude += std::fabs(static_cast<double>(rows[r * dim + i]) * query[i]);
        }
        tally.bound(fast[r], exact, static_cast<double>(dim) * 6e-8 * magnitude + 1e-30);
      }
      // f16
      std::vector<std::uint16_t> halves(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) halves[i] = float_to_half(rows[i]);
      kernels::score_f16(halves.data(), count, dim, query.data(), fast.data());
      kernels::reference::score_f16(halves.data(), count, dim, query.data(), reference.data());
      tally.compare(fast, reference);
      // int8
      std::vector<std::int8_t> levels(rows.size());
      std::vector<float> scales(count);
      for (std::size_t r = 0; r < count; ++r) {
        scales[r] = std::fabs(uniform(0.02f));
        for (std::size_t i = 0; i < dim; ++i) levels[r * dim + i] = static_cast<std::int8_t>(std::lround(rows[r * dim + i] * 63.0f));
      }
      std::vector<std::int16_t> query_levels(dim);
      float query_scale = 0.0f;
      kernels::quantise_query(query.data(), dim, query_levels.data(), &query_scale);
      kernels::score_i8(levels.data(), scales.data(), count, dim, query_levels.data(), query_scale, fast.data());
      kernels::reference::score_i8(levels.data(), scales.data(), count, dim, query_levels.data(), query_scale, reference.data());
      tally.compare(fast, reference);
      for (std::size_t r = 0; r < count; ++r) {
        double exact = 0.0;
        double magnitude = 0.0;
        for (std::size_t i = 0; i < dim; ++i) {
          exact += static_cast<double>(levels[r * dim + i]) * scales[r] * query[i];
          magnitude += std::fabs(static_cast<double>(levels[r * dim + i]) * scales[r]);
        }
        tally.bound(fast[r], exact, magnitude * query_scale * 0.5 + 1e-6 * std::fabs(exact) + 1e-30);
      }
      // pq (subspaces of width 4 or the whole row)
      const std::size_t subspaces = dim % 4 == 0 ? dim / 4 : 1;
      const std::size_t width = dim / subspaces;
      std::vector<float> codebooks(subspaces * kernels::kPqCentroids * width);
      for (float& value : codebooks) value = uniform(1.0f);
      std::vector<std::uint8_t> codes(count * subspaces);
      for (auto& code : codes) code = static_cast<std::uint8_t>(static_cast<std::uint32_t>(uniform(128.0f) + 128.0f) & 0xFF);
      std::vector<float> lookup(subspaces * kernels::kPqCentroids);
      kernels::build_pq_lookup(query.data(), dim, subspaces, codebooks.data(), lookup.data());
      kernels::score_pq(codes.data(), count, subspaces, lookup.data(), fast.data());
      kernels::reference::score_pq(codes.data(), count, subspaces, lookup.data(), reference.data());
      tally.compare(fast, reference);
    }
  }
  // GRU: approximate scores from int8 item blocks, and the threshold scans over them.
  for (const std::size_t dim : {1, 7, 8, 64, 100}) {
    for (const std::size_t count : {1, 15, 16, 17, 1001}) {
      std::vector<std::int8_t> codes(gru_kernels::code_bytes(count, dim), 0);
      for (std::size_t item = 0; item < count; ++item) {
        for (std::size_t j = 0; j < dim; ++j) codes[gru_kernels::code_offset(item, j, dim)] = static_cast<std::int8_t>(std::lround(uniform(127.0f)));
      }
      std::vector<float> scales(count), bias(count), query(dim);
      for (float& value : scales) value = std::fabs(uniform(0.02f));
      for (float& value : bias) value = uniform(1.0f);
      for (float& value : query) value = uniform(1.0f);
      std::vector<std::int16_t> query_levels(gru_kernels::padded_dimensions(dim), 0);
      float query_scale = 0.0f;
      kernels::quantise_query(query.data(), dim, query_levels.data(), &query_scale);
      std::vector<float> fast(count), reference(count);
      gru_kernels::approximate_scores(codes.data(), scales.data(), bias.data(), count, dim, query_levels.data(), query_scale, fast.data());
      gru_kernels::reference::approximate_scores(codes.data(), scales.data(), bias.data(), count, dim, query_levels.data(), query_scale,
                                                 reference.data());
      tally.compare(fast, reference);
      {  // a rotated copy's first pass over the leading codes
        const std::size_t prefix = std::max<std::size_t>(2, gru_kernels::padded_dimensions(dim) / 2 & ~std::size_t{1});
        std::vector<float> fast_prefix(count), reference_prefix(count), tails(count);
        for (float& value : tails) value = std::fabs(uniform(30.0f));
        for (const float* item_tails : {static_cast<const float*>(nullptr), static_cast<const float*>(tails.data())}) {
          gru_kernels::prefix_scores(codes.data(), scales.data(), bias.data(), count, dim, prefix, query_levels.data(), query_scale,
                                     item_tails, 0.21f, fast_prefix.data());
          gru_kernels::reference::prefix_scores(codes.data(), scales.data(), bias.data(), count, dim, prefix, query_levels.data(),
                                                query_scale, item_tails, 0.21f, reference_prefix.data());
          tally.compare(fast_prefix, reference_prefix);
        }
        for (std::size_t item = 0; item < count; ++item) {
          ++tally.scores;
          if (gru_kernels::item_dot(codes.data(), item, dim, query_levels.data()) !=
              gru_kernels::reference::item_dot(codes.data(), item, dim, query_levels.data())) {
            ++tally.mismatched_bits;
          }
        }
        // An item's codes as one row (a v6 copy's tail): every length up to the block's bytes.
        for (std::size_t length = 0; length <= std::min<std::size_t>(codes.size() - 1, 70); ++length) {
          ++tally.scores;
          if (gru_kernels::row_dot(codes.data() + 1, query_levels.data(), std::min(length, query_levels.size())) !=
              gru_kernels::reference::row_dot(codes.data() + 1, query_levels.data(), std::min(length, query_levels.size()))) {
            ++tally.mismatched_bits;
          }
        }
      }
      for (const float threshold : {-2.0f, 0.5f, 1.5f}) {
        std::vector<std::uint32_t> fast_indices(count), reference_indices(count);
        const std::size_t found = gru_kernels::indices_at_least(fast.data(), count, threshold, fast_indices.data());
        const std::size_t expected = gru_kernels::reference::indices_at_least(fast.data(), count, threshold, reference_indices.data());
        ++tally.scores;
        if (found != expected || !std::equal(fast_indices.begin(), fast_indices.begin() + found, reference_indices.begin())) {
          ++tally.mismatched_bits;
        }
        for (std::size_t begin = 0; begin < count; begin += gru_kernels::kItemsPerBlock) {
          ++tally.scores;
          if (gru_kernels::next_block_above(fast.data(), begin, count, threshold) !=
              gru_kernels::reference::next_block_above(fast.data(), begin, count, threshold)) {
            ++tally.mismatched_bits;
          }
        }
      }
    }
  }
  // GRU step: column-stored matrix-vector sums.
  for (const std::size_t rows : {1, 15, 16, 33, 192}) {
    for (const std::size_t count : {1, 8, 64}) {
      const std::size_t stride = rows + 3;
      std::vector<float> columns(count * stride), vector(count), fast(rows), reference(rows);
      for (float& value : columns) value = uniform(1.0f);
      for (float& value : vector) value = uniform(1.0f);
      for (std::size_t i = 0; i < rows; ++i) fast[i] = reference[i] = uniform(1.0f);
      gru_kernels::accumulate_columns(columns.data(), stride, rows, vector.data(), count, fast.data());
      gru_kernels::reference::accumulate_columns(columns.data(), stride, rows, vector.data(), count, reference.data());
      tally.compare(fast, reference);
    }
  }
  std::printf("{\"simd\":%s,\"scores\":%zu,\"mismatched_bits\":%zu,\"outside_bound\":%zu,\"max_abs_diff\":%.9g}\n",
              kernels::simd_enabled() && gru_kernels::simd_enabled() ? "true" : "false", tally.scores, tally.mismatched_bits, tally.outside_bound,
              tally.max_abs_diff);
  return tally.mismatched_bits == 0 && tally.outside_bound == 0 ? 0 : 1;
}
