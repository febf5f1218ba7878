// Scalar reference of gru_kernels.hpp: the definition the SIMD kernels must match bit for bit.
#include "shelfwise/gru_kernels.hpp"

namespace shelfwise::gru_kernels::reference {

void approximate_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                        std::size_t dimensions, const std::int16_t* query, float query_scale, float* out) {
  const std::size_t padded = padded_dimensions(dimensions);
  for (std::size_t item = 0; item < items; ++item) {
    std::int32_t dot = 0;
    for (std::size_t dimension = 0; dimension < padded; ++dimension) {
      dot += static_cast<std::int32_t>(codes[code_offset(item, dimension, dimensions)]) * query[dimension];
    }
    out[item] = bias[item] + static_cast<float>(dot) * item_scales[item] * query_scale;
  }
}

std::size_t indices_at_least(const float* scores, std::size_t count, float threshold, std::uint32_t* indices) {
  std::size_t found = 0;
  for (std::size_t item = 0; item < count; ++item) {
    if (scores[item] >= threshold) indices[found++] = static_cast<std::uint32_t>(item);
  }
  return found;
}

std::size_t next_block_above(const float* scores, std::size_t begin, std::size_t count, float threshold) {
  for (std::size_t block = begin; block < count; block += kItemsPerBlock) {
    const std::size_t end = block + kItemsPerBlock < count ? block + kItemsPerBlock : count;
    for (std::size_t item = block; item < end; ++item) {
      if (scores[item] > threshold) return block;
    }
  }
  return count;
}

}  // namespace shelfwise::gru_kernels::reference
