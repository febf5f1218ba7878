// Item factors of an implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008), read in
// place from a bundle: what the device needs to fold a shopper's history into a user vector
// (user_vector.hpp) and score the catalogue with it (user_candidates.hpp). User factors are never
// shipped: they are solved on the device and never leave it.
//
// A bundle of any kind may carry them (kind "mf" has nothing else but popularity; an "itemknn"
// bundle may add them so the ranker blends the session model with the user vector).
//
// Manifest (added in format v1, optional except for kind "mf"):
//   "mf": { "factors": k,                  multiple of 8, 8..kMaxFactors
//           "dtype": "f32"|"f16"|"int8"|"pq",
//           "regularisation": lambda,      > 0, the L2 weight of training and fold-in
//           "alpha": alpha,                confidence c = 1 + alpha * r, > 0
//           "event_weights": {"view": w, "cart": w, "purchase": w},   r = sum of these, >= 0
//           "pq_subspaces": m }            pq only: divides k, bytes per item
// Tensors:
//   mf.gram           f32 [k, k]   Y^T Y of the stored (dequantised) factors, symmetric
//   f32:  mf.item_factors f32 [n, k]
//   f16:  mf.item_factors f16 [n, k]
//   int8: mf.item_factors i8 [n, k], mf.item_scales f32 [n] (row = scale * int8 values, scale >= 0)
//   pq:   mf.pq_codes u8 [n, m], mf.pq_codebooks f32 [m, 256, k / m]
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/session_state.hpp"

namespace shelfwise {

enum class FactorDType : std::uint8_t { f32, f16, int8, pq };
std::string_view factor_dtype_name(FactorDType dtype);
std::optional<FactorDType> factor_dtype_from_name(std::string_view name);

inline constexpr std::size_t kMaxFactors = 256;
inline constexpr std::size_t kFactorAlignment = 8;

struct FactorHyperparameters {
  std::size_t factors = 0;
  double regularisation = 0.1;
  double alpha = 10.0;
  std::array<double, kEventTypeCount> event_weights{1.0, 1.0, 1.0};  // view, cart, purchase
};

// Scratch for scoring one query, sized for one ItemFactors: the int16 query of the int8 kernel or
// the lookup tables of the pq kernel. One per thread.
struct PreparedQuery {
  std::vector<float> values;          // the float query (f32, f16)
  std::vector<std::int16_t> levels;   // int8
  float level_scale = 0.0f;
  std::vector<float> lookup;          // pq: subspaces * 256
};

class ItemFactors {
 public:
  // nullopt when the bundle has no "mf" object. BAD_MANIFEST / BAD_TENSOR / SHAPE_MISMATCH name
  // the field for anything malformed; values are checked here so scoring never re-checks.
  static Result<std::optional<ItemFactors>> from_bundle(const Bundle& bundle);

  std::size_t item_count() const { return item_count_; }
  std::size_t dim() const { return dim_; }
  FactorDType dtype() const { return dtype_; }
  std::size_t subspaces() const { return subspaces_; }
  const FactorHyperparameters& hyperparameters() const { return hyperparameters_; }
  // Y^T Y, row-major k x k.
  ArrayView<float> gram() const { return gram_; }
  // Bytes of the item-factor tensors (codes, codebooks, scales), the gram excluded.
  std::uint64_t factor_bytes() const { return factor_bytes_; }

  // The dequantised row of `item` (dim floats); item < item_count().
  void row(std::uint32_t item, float* out) const;

  PreparedQuery new_query() const;
  // Copies (and for int8/pq quantises or tabulates) `query` (dim floats) into `prepared`.
  void prepare(const float* query, PreparedQuery& prepared) const;
  // Scores of items [first, first + count) against the prepared query.
  void score_range(const PreparedQuery& prepared, std::size_t first, std::size_t count, float* out) const;
  float score(const PreparedQuery& prepared, std::uint32_t item) const;

 private:
  std::size_t item_count_ = 0;
  std::size_t dim_ = 0;
  FactorDType dtype_ = FactorDType::f32;
  std::size_t subspaces_ = 0;
  FactorHyperparameters hyperparameters_;
  std::uint64_t factor_bytes_ = 0;
  ArrayView<float> gram_;
  ArrayView<float> f32_;
  ArrayView<std::uint16_t> f16_;
  ArrayView<std::int8_t> i8_;
  ArrayView<float> scales_;
  ArrayView<std::uint8_t> codes_;
  ArrayView<float> codebooks_;
};

}  // namespace shelfwise
