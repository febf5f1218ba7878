// Scalar reference of gru_kernels.hpp: the definition the SIMD kernels must match bit for bit.
#include "shelfwise/gru_kernels.hpp"

namespace shelfwise::gru_kernels::reference {

void approximate_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                        std::size_t dimensions, const std::int16_t* query, float query_scale, float* out) {
  prefix_scores(codes, item_scales, bias, items, dimensions, padded_dimensions(dimensions), query, query_scale, nullptr, 0.0f, out);
}

void prefix_scores(const std::int8_t* codes, const float* item_scales, const float* bias, std::size_t items,
                   std::size_t dimensions, std::size_t prefix_dimensions, const std::int16_t* query, float query_scale,
                   const float* tails, float tail_weight, float* out) {
  // Block by block, in the layout's own order (int32 sums are exact: the compiler may vectorise).
  const std::size_t pairs = padded_dimensions(dimensions) / 2;
  const std::size_t prefix_pairs = prefix_dimensions / 2;
  for (std::size_t begin = 0; begin < items; begin += kItemsPerBlock) {
    const std::int8_t* block = codes + begin * 2 * pairs;
    std::int32_t dots[kItemsPerBlock] = {};
    for (std::size_t pair = 0; pair < prefix_pairs; ++pair) {
      const std::int8_t* pair_codes = block + pair * 2 * kItemsPerBlock;
      const std::int32_t first = query[2 * pair];
      const std::int32_t second = query[2 * pair + 1];
      for (std::size_t lane = 0; lane < kItemsPerBlock; ++lane) {
        dots[lane] += pair_codes[2 * lane] * first + pair_codes[2 * lane + 1] * second;
      }
    }
    const std::size_t end = begin + kItemsPerBlock < items ? begin + kItemsPerBlock : items;
    for (std::size_t item = begin; item < end; ++item) {
      const float score = bias[item] + static_cast<float>(dots[item - begin]) * item_scales[item] * query_scale;
      out[item] = tails == nullptr ? score : score + tail_weight * tails[item];
    }
  }
}

std::int32_t item_dot(const std::int8_t* codes, std::size_t item, std::size_t dimensions, const std::int16_t* query) {
  return pairs_dot(codes, item, dimensions, query, 0, padded_dimensions(dimensions) / 2);
}

std::int32_t pairs_dot(const std::int8_t* codes, std::size_t item, std::size_t dimensions, const std::int16_t* query,
                       std::size_t first_pair, std::size_t end_pair) {
  const std::int8_t* lane = codes + code_offset(item, 0, dimensions);
  std::int32_t dot = 0;
  for (std::size_t pair = first_pair; pair < end_pair; ++pair) {
    dot += lane[pair * 2 * kItemsPerBlock] * static_cast<std::int32_t>(query[2 * pair]) +
           lane[pair * 2 * kItemsPerBlock + 1] * static_cast<std::int32_t>(query[2 * pair + 1]);
  }
  return dot;
}

std::int32_t row_dot(const std::int8_t* row, const std::int16_t* query, std::size_t count) {
  std::int32_t dot = 0;
  for (std::size_t j = 0; j < count; ++j) dot += row[j] * static_cast<std::int32_t>(query[j]);
  return dot;
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

void accumulate_columns(const float* columns, std::size_t stride, std::size_t rows, const float* vector, std::size_t count,
                        float* sums) {
  // Column by column: every row still adds its terms in increasing j, and the inner loop over
  // rows vectorises without reassociating anything.
  for (std::size_t j = 0; j < count; ++j) {
    const float* column = columns + j * stride;
    const float weight = vector[j];
    for (std::size_t i = 0; i < rows; ++i) sums[i] += column[i] * weight;
  }
}

}  // namespace shelfwise::gru_kernels::reference
