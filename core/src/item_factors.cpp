#include "shelfwise/item_factors.hpp"

#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/half_float.hpp"

namespace shelfwise {

void ItemFactors::row(std::uint32_t item, float* out) const {
  const std::size_t base = static_cast<std::size_t>(item) * dim_;
  switch (dtype_) {
    case FactorDType::f32:
      for (std::size_t i = 0; i < dim_; ++i) out[i] = f32_[base + i];
      return;
    case FactorDType::f16:
      for (std::size_t i = 0; i < dim_; ++i) out[i] = half_to_float(f16_[base + i]);
      return;
    case FactorDType::int8:
      for (std::size_t i = 0; i < dim_; ++i) out[i] = static_cast<float>(i8_[base + i]) * scales_[item];
      return;
    case FactorDType::pq: {
      const std::size_t width = dim_ / subspaces_;
      const std::uint8_t* code = codes_.data() + static_cast<std::size_t>(item) * subspaces_;
      for (std::size_t s = 0; s < subspaces_; ++s) {
        const float* centroid = codebooks_.data() + (s * kernels::kPqCentroids + code[s]) * width;
        for (std::size_t i = 0; i < width; ++i) out[s * width + i] = centroid[i];
      }
      return;
    }
  }
}

PreparedQuery ItemFactors::new_query() const {
  PreparedQuery prepared;
  prepared.values.assign(dim_, 0.0f);
  if (dtype_ == FactorDType::int8) prepared.levels.assign(dim_, 0);
  if (dtype_ == FactorDType::pq) prepared.lookup.assign(subspaces_ * kernels::kPqCentroids, 0.0f);
  return prepared;
}

void ItemFactors::prepare(const float* query, PreparedQuery& prepared) const {
  for (std::size_t i = 0; i < dim_; ++i) prepared.values[i] = query[i];
  if (dtype_ == FactorDType::int8) kernels::quantise_query(query, dim_, prepared.levels.data(), &prepared.level_scale);
  if (dtype_ == FactorDType::pq) kernels::build_pq_lookup(query, dim_, subspaces_, codebooks_.data(), prepared.lookup.data());
}

void ItemFactors::score_range(const PreparedQuery& prepared, std::size_t first, std::size_t count, float* out) const {
  switch (dtype_) {
    case FactorDType::f32:
      kernels::score_f32(f32_.data() + first * dim_, count, dim_, prepared.values.data(), out);
      return;
    case FactorDType::f16:
      kernels::score_f16(f16_.data() + first * dim_, count, dim_, prepared.values.data(), out);
      return;
    case FactorDType::int8:
      kernels::score_i8(i8_.data() + first * dim_, scales_.data() + first, count, dim_, prepared.levels.data(),
                        prepared.level_scale, out);
      return;
    case FactorDType::pq:
      kernels::score_pq(codes_.data() + first * subspaces_, count, subspaces_, prepared.lookup.data(), out);
      return;
  }
}

float ItemFactors::score(const PreparedQuery& prepared, std::uint32_t item) const {
  float value = 0.0f;
  score_range(prepared, item, 1, &value);
  return value;
}

}  // namespace shelfwise
