// The catalogue scoring kernels against a double-precision dot product (property tests over
// random matrices), the default kernels against the scalar reference (bit for bit: they promise
// the same order of operations), and the half-float conversions.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "core/factor_fixture.hpp"
#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/half_float.hpp"

namespace shelfwise {
namespace {

using testing::random_values;

double exact_dot(const float* row, const float* query, std::size_t dim, double* magnitude) {
  double sum = 0.0;
  *magnitude = 0.0;
  for (std::size_t i = 0; i < dim; ++i) {
    sum += static_cast<double>(row[i]) * query[i];
    *magnitude += std::fabs(static_cast<double>(row[i]) * query[i]);
  }
  return sum;
}

// Float summation of n products: error <= n * eps * sum |products| (a loose classical bound).
double float_bound(std::size_t dim, double magnitude) { return static_cast<double>(dim) * 6e-8 * magnitude + 1e-30; }

bool same_bits(const std::vector<float>& left, const std::vector<float>& right) {
  return left.size() == right.size() && std::memcmp(left.data(), right.data(), left.size() * sizeof(float)) == 0;
}

TEST_CASE("f32 and f16 kernels are within the float summation bound of the exact dot product", "[kernels]") {
  for (const std::size_t dim : {8, 16, 64, 128}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const std::size_t count = 37;  // not a multiple of the four rows the SIMD kernels take at once
      const std::vector<float> rows = random_values(count * dim, seed, 2.0f);
      const std::vector<float> query = random_values(dim, seed + 100);
      std::vector<float> scores(count);
      std::vector<float> reference(count);
      kernels::score_f32(rows.data(), count, dim, query.data(), scores.data());
      kernels::reference::score_f32(rows.data(), count, dim, query.data(), reference.data());
      CHECK(same_bits(scores, reference));
      std::vector<std::uint16_t> halves(rows.size());
      std::vector<float> widened(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        halves[i] = float_to_half(rows[i]);
        widened[i] = half_to_float(halves[i]);
      }
      std::vector<float> half_scores(count);
      kernels::score_f16(halves.data(), count, dim, query.data(), half_scores.data());
      for (std::size_t r = 0; r < count; ++r) {
        double magnitude = 0.0;
        const double exact = exact_dot(rows.data() + r * dim, query.data(), dim, &magnitude);
        CHECK(std::fabs(scores[r] - exact) <= float_bound(dim, magnitude));
        // f16 storage adds at most 2^-11 relative error per value.
        CHECK(std::fabs(half_scores[r] - exact) <= float_bound(dim, magnitude) + magnitude / 2048.0);
        double widened_magnitude = 0.0;
        const double widened_exact = exact_dot(widened.data() + r * dim, query.data(), dim, &widened_magnitude);
        CHECK(std::fabs(half_scores[r] - widened_exact) <= float_bound(dim, widened_magnitude));
      }
    }
  }
}

TEST_CASE("int8 kernel is within the query-quantisation bound of the dequantised dot product", "[kernels]") {
  for (const std::size_t dim : {8, 32, 64}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const std::size_t count = 41;
      std::vector<std::int8_t> rows(count * dim);
      std::vector<float> scales = random_values(count, seed + 7, 0.01f);
      for (float& scale : scales) scale = std::fabs(scale);
      const std::vector<float> raw = random_values(count * dim, seed);
      for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<std::int8_t>(std::lround(raw[i] * 127.0f));
      const std::vector<float> query = random_values(dim, seed + 200, 3.0f);
      std::vector<std::int16_t> levels(dim);
      float level_scale = 0.0f;
      kernels::quantise_query(query.data(), dim, levels.data(), &level_scale);
      std::vector<float> scores(count);
      std::vector<float> reference(count);
      kernels::score_i8(rows.data(), scales.data(), count, dim, levels.data(), level_scale, scores.data());
      kernels::reference::score_i8(rows.data(), scales.data(), count, dim, levels.data(), level_scale, reference.data());
      CHECK(same_bits(scores, reference));
      for (std::size_t r = 0; r < count; ++r) {
        double exact = 0.0;
        double row_magnitude = 0.0;
        for (std::size_t i = 0; i < dim; ++i) {
          const double value = static_cast<double>(rows[r * dim + i]) * scales[r];
          exact += value * query[i];
          row_magnitude += std::fabs(value);
        }
        // Each query value is off by at most half a level; the int32 sum is exact.
        const double bound = row_magnitude * level_scale * 0.5 + 1e-6 * std::fabs(exact) + 1e-30;
        CHECK(std::fabs(scores[r] - exact) <= bound);
      }
    }
  }
}

TEST_CASE("an all-zero query scores zero in every kernel", "[kernels]") {
  const std::vector<float> zero(16, 0.0f);
  std::vector<std::int16_t> levels(16, 7);
  float scale = 1.0f;
  kernels::quantise_query(zero.data(), 16, levels.data(), &scale);
  CHECK(scale == 0.0f);
  CHECK(std::all_of(levels.begin(), levels.end(), [](std::int16_t level) { return level == 0; }));
  const std::vector<std::int8_t> rows(16 * 3, 5);
  const std::vector<float> row_scales(3, 1.0f);
  std::vector<float> scores(3, 1.0f);
  kernels::score_i8(rows.data(), row_scales.data(), 3, 16, levels.data(), scale, scores.data());
  CHECK(scores == std::vector<float>(3, 0.0f));
}

TEST_CASE("pq kernel adds the lookup tables: the dot product with the reconstructed rows", "[kernels]") {
  const std::size_t dim = 32;
  const std::size_t subspaces = 8;
  const std::size_t width = dim / subspaces;
  const std::size_t count = 23;
  const std::vector<float> codebooks = random_values(subspaces * kernels::kPqCentroids * width, 3);
  training::SeededRandom random(9);
  std::vector<std::uint8_t> codes(count * subspaces);
  for (auto& code : codes) code = static_cast<std::uint8_t>(random.below(256));
  const std::vector<float> query = random_values(dim, 4);
  std::vector<float> lookup(subspaces * kernels::kPqCentroids);
  kernels::build_pq_lookup(query.data(), dim, subspaces, codebooks.data(), lookup.data());
  std::vector<float> scores(count);
  std::vector<float> reference(count);
  kernels::score_pq(codes.data(), count, subspaces, lookup.data(), scores.data());
  kernels::reference::score_pq(codes.data(), count, subspaces, lookup.data(), reference.data());
  CHECK(same_bits(scores, reference));
  for (std::size_t r = 0; r < count; ++r) {
    std::vector<float> row(dim);
    for (std::size_t s = 0; s < subspaces; ++s) {
      const float* centroid = codebooks.data() + (s * kernels::kPqCentroids + codes[r * subspaces + s]) * width;
      std::copy(centroid, centroid + width, row.begin() + static_cast<std::ptrdiff_t>(s * width));
    }
    double magnitude = 0.0;
    const double exact = exact_dot(row.data(), query.data(), dim, &magnitude);
    CHECK(std::fabs(scores[r] - exact) <= float_bound(dim, magnitude));
  }
}

TEST_CASE("half floats: every finite half survives a round trip and rounding is to nearest even", "[kernels]") {
  for (std::uint32_t bits = 0; bits < 0x10000U; ++bits) {
    if ((bits & 0x7C00U) == 0x7C00U) continue;  // Inf and NaN are never stored
    const auto half = static_cast<std::uint16_t>(bits);
    const float value = half_to_float(half);
    REQUIRE(std::isfinite(value));
    REQUIRE(float_to_half(value) == half);
  }
  CHECK(half_to_float(float_to_half(1.0f)) == 1.0f);
  CHECK(half_to_float(float_to_half(65504.0f)) == 65504.0f);
  CHECK(half_to_float(float_to_half(1e9f)) == 65504.0f);            // saturates, never Inf
  CHECK(half_to_float(float_to_half(-1e9f)) == -65504.0f);
  CHECK(half_to_float(float_to_half(1.0f + 1.0f / 4096.0f)) == 1.0f);  // a tie rounds to even
  CHECK(half_to_float(float_to_half(5.960464477539063e-08f)) == 5.960464477539063e-08f);  // smallest subnormal
  CHECK(half_to_float(float_to_half(2.0e-8f)) == 0.0f);
  const std::vector<float> values = random_values(10000, 5, 100.0f);
  for (const float value : values) {
    const float back = half_to_float(float_to_half(value));
    CHECK(std::fabs(back - value) <= std::fabs(value) / 2048.0f + 3e-8f);
  }
#ifdef __FLT16_MAX__
  for (const float value : values) CHECK(float_to_half(value) == [&] {
    const _Float16 native = static_cast<_Float16>(value);
    std::uint16_t bits;
    std::memcpy(&bits, &native, sizeof(bits));
    return bits;
  }());
#endif
}

}  // namespace
}  // namespace shelfwise
