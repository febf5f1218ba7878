// The portable scalar kernels; the order of float operations is the contract of
// factor_kernels.hpp, which the SIMD kernels reproduce.
#include <cmath>

#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/half_float.hpp"

namespace shelfwise::kernels {

void quantise_query(const float* query, std::size_t dim, std::int16_t* values, float* scale) {
  float largest = 0.0f;
  for (std::size_t i = 0; i < dim; ++i) largest = std::fmax(largest, std::fabs(query[i]));
  if (largest == 0.0f) {
    for (std::size_t i = 0; i < dim; ++i) values[i] = 0;
    *scale = 0.0f;
    return;
  }
  *scale = largest / kQueryQuantisationLevels;
  const float inverse = kQueryQuantisationLevels / largest;
  for (std::size_t i = 0; i < dim; ++i) {
    const float level = std::nearbyint(query[i] * inverse);
    values[i] = static_cast<std::int16_t>(std::fmax(-kQueryQuantisationLevels, std::fmin(kQueryQuantisationLevels, level)));
  }
}

void build_pq_lookup(const float* query, std::size_t dim, std::size_t subspaces, const float* codebooks, float* lookup) {
  const std::size_t width = dim / subspaces;
  for (std::size_t s = 0; s < subspaces; ++s) {
    const float* slice = query + s * width;
    for (std::size_t c = 0; c < kPqCentroids; ++c) {
      const float* centroid = codebooks + (s * kPqCentroids + c) * width;
      float sum = 0.0f;
      for (std::size_t i = 0; i < width; ++i) sum += slice[i] * centroid[i];
      lookup[s * kPqCentroids + c] = sum;
    }
  }
}

namespace reference {

void score_f32(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
  for (std::size_t r = 0; r < count; ++r) {
    const float* row = rows + r * dim;
    float lane[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (std::size_t i = 0; i < dim; i += 4) {
      for (std::size_t j = 0; j < 4; ++j) lane[j] += row[i + j] * query[i + j];
    }
    out[r] = (lane[0] + lane[2]) + (lane[1] + lane[3]);
  }
}

void score_f16(const std::uint16_t* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
  for (std::size_t r = 0; r < count; ++r) {
    const std::uint16_t* row = rows + r * dim;
    float lane[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (std::size_t i = 0; i < dim; i += 4) {
      for (std::size_t j = 0; j < 4; ++j) lane[j] += half_to_float(row[i + j]) * query[i + j];
    }
    out[r] = (lane[0] + lane[2]) + (lane[1] + lane[3]);
  }
}

void score_i8(const std::int8_t* rows, const float* row_scales, std::size_t count, std::size_t dim,
              const std::int16_t* query, float query_scale, float* out) {
  for (std::size_t r = 0; r < count; ++r) {
    const std::int8_t* row = rows + r * dim;
    std::int32_t dot = 0;
    for (std::size_t i = 0; i < dim; ++i) dot += static_cast<std::int32_t>(row[i]) * static_cast<std::int32_t>(query[i]);
    out[r] = static_cast<float>(dot) * row_scales[r] * query_scale;
  }
}

void score_pq(const std::uint8_t* codes, std::size_t count, std::size_t subspaces, const float* lookup, float* out) {
  for (std::size_t r = 0; r < count; ++r) {
    const std::uint8_t* code = codes + r * subspaces;
    float sum = lookup[code[0]];
    for (std::size_t s = 1; s < subspaces; ++s) sum += lookup[s * kPqCentroids + code[s]];
    out[r] = sum;
  }
}

}  // namespace reference
}  // namespace shelfwise::kernels
