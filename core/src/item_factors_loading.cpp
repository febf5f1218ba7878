// ItemFactors::from_bundle and the dtype names: the manifest's "mf" section and the factor tensors
// checked and viewed in place, once per load (compiled for size in the wasm; the scoring in
// item_factors.cpp is the request path).
#include "shelfwise/item_factors.hpp"

#include "shelfwise/decimal_text.hpp"
#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/json_fields.hpp"
#include "shelfwise/order_checks.hpp"

namespace shelfwise {
namespace {

constexpr double kMaxHyperparameter = 1e6;

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string text = "[";
  for (std::size_t index = 0; index < shape.size(); ++index) text += (index ? ", " : "") + std::to_string(shape[index]);
  return text + "]";
}

template <typename T>
Result<ArrayView<T>> shaped_view(const Bundle& bundle, const std::string& name, DType dtype,
                                 const std::vector<std::uint64_t>& shape) {
  auto view = bundle.view<T>(name, dtype);
  if (!view.ok()) return view.status();
  const TensorInfo* info = bundle.find(name);
  if (info->shape != shape) {
    return Status(ErrorCode::shape_mismatch,
                  "tensor '" + name + "' has shape " + shape_text(info->shape) + ", expected " + shape_text(shape));
  }
  return view;
}

Status read_bounded(const JsonValue& object, const char* key, const std::string& path, double minimum_exclusive,
                    double* out) {
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(object, key, path, out));
  if (!(*out > minimum_exclusive) || *out > kMaxHyperparameter) {
    return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' must be in (" +
                                               decimal_text(minimum_exclusive) + ", 1e6]");
  }
  return Status::ok_status();
}

Status read_hyperparameters(const JsonValue& mf, FactorHyperparameters* out) {
  std::uint64_t factors = 0;
  SHELFWISE_RETURN_IF_ERROR(read_unsigned(mf, "factors", "mf.factors", &factors));
  if (factors < kFactorAlignment || factors > kMaxFactors || factors % kFactorAlignment != 0) {
    return Status(ErrorCode::bad_manifest, "manifest field 'mf.factors' must be a multiple of 8 from 8 to " +
                                               std::to_string(kMaxFactors));
  }
  out->factors = static_cast<std::size_t>(factors);
  SHELFWISE_RETURN_IF_ERROR(read_bounded(mf, "regularisation", "mf.regularisation", 0.0, &out->regularisation));
  SHELFWISE_RETURN_IF_ERROR(read_bounded(mf, "alpha", "mf.alpha", 0.0, &out->alpha));
  const JsonValue* weights = mf.find("event_weights");
  if (weights == nullptr) return Status::ok_status();
  if (!weights->is_object()) return Status(ErrorCode::bad_manifest, "manifest field 'mf.event_weights' must be an object");
  const char* names[kEventTypeCount] = {"view", "cart", "purchase"};
  for (int type = 0; type < kEventTypeCount; ++type) {
    const std::string path = std::string("mf.event_weights.") + names[type];
    double& weight = out->event_weights[static_cast<std::size_t>(type)];
    SHELFWISE_RETURN_IF_ERROR(read_optional_number(*weights, names[type], path, &weight));
    if (!(weight >= 0.0) || weight > kMaxHyperparameter) {
      return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' must be in [0, 1e6]");
    }
  }
  return Status::ok_status();
}

}  // namespace

std::string_view factor_dtype_name(FactorDType dtype) {
  switch (dtype) {
    case FactorDType::f32: return "f32";
    case FactorDType::f16: return "f16";
    case FactorDType::int8: return "int8";
    case FactorDType::pq: return "pq";
  }
  return "f32";
}

std::optional<FactorDType> factor_dtype_from_name(std::string_view name) {
  for (const FactorDType dtype : {FactorDType::f32, FactorDType::f16, FactorDType::int8, FactorDType::pq}) {
    if (factor_dtype_name(dtype) == name) return dtype;
  }
  return std::nullopt;
}

Result<std::optional<ItemFactors>> ItemFactors::from_bundle(const Bundle& bundle) {
  const JsonValue& manifest = bundle.manifest();
  const JsonValue* mf = manifest.find("mf");
  if (mf == nullptr) return std::optional<ItemFactors>();
  if (!mf->is_object()) return Status(ErrorCode::bad_manifest, "manifest field 'mf' must be an object");
  ItemFactors factors;
  SHELFWISE_RETURN_IF_ERROR(read_hyperparameters(*mf, &factors.hyperparameters_));
  std::string dtype_text;
  SHELFWISE_RETURN_IF_ERROR(read_string(*mf, "dtype", "mf.dtype", &dtype_text));
  const auto dtype = factor_dtype_from_name(dtype_text);
  if (!dtype) return Status(ErrorCode::bad_manifest, "manifest field 'mf.dtype' is '" + dtype_text + "'; expected f32, f16, int8 or pq");
  factors.dtype_ = *dtype;
  const std::uint64_t n = bundle.item_count();
  const std::uint64_t k = factors.hyperparameters_.factors;
  factors.item_count_ = static_cast<std::size_t>(n);
  factors.dim_ = static_cast<std::size_t>(k);

  auto gram = shaped_view<float>(bundle, "mf.gram", DType::f32, {k, k});
  if (!gram.ok()) return gram.status();
  factors.gram_ = gram.value();
  for (std::uint64_t row = 0; row < k; ++row) {
    if (!(factors.gram_[row * k + row] >= 0.0f)) return Status(ErrorCode::bad_tensor, "tensor 'mf.gram' has a negative diagonal");
    for (std::uint64_t column = 0; column < row; ++column) {
      if (factors.gram_[row * k + column] != factors.gram_[column * k + row]) {
        return Status(ErrorCode::bad_tensor, "tensor 'mf.gram' is not symmetric");
      }
    }
  }

  switch (factors.dtype_) {
    case FactorDType::f32: {
      auto rows = shaped_view<float>(bundle, "mf.item_factors", DType::f32, {n, k});
      if (!rows.ok()) return rows.status();
      factors.f32_ = rows.value();
      factors.factor_bytes_ = n * k * 4;
      break;
    }
    case FactorDType::f16: {
      auto rows = shaped_view<std::uint16_t>(bundle, "mf.item_factors", DType::f16, {n, k});
      if (!rows.ok()) return rows.status();
      factors.f16_ = rows.value();
      factors.factor_bytes_ = n * k * 2;
      break;
    }
    case FactorDType::int8: {
      auto rows = shaped_view<std::int8_t>(bundle, "mf.item_factors", DType::i8, {n, k});
      if (!rows.ok()) return rows.status();
      auto scales = shaped_view<float>(bundle, "mf.item_scales", DType::f32, {n});
      if (!scales.ok()) return scales.status();
      // A whole-array call, not a loop in this once-per-load function (order_checks.hpp); read_bundle
      // has already refused NaN.
      if (count_negative(scales.value()) != 0) {
        return Status(ErrorCode::bad_tensor, "tensor 'mf.item_scales' holds a negative scale");
      }
      factors.i8_ = rows.value();
      factors.scales_ = scales.value();
      factors.factor_bytes_ = n * k + n * 4;
      break;
    }
    case FactorDType::pq: {
      std::uint64_t subspaces = 0;
      SHELFWISE_RETURN_IF_ERROR(read_unsigned(*mf, "pq_subspaces", "mf.pq_subspaces", &subspaces));
      if (subspaces == 0 || subspaces > k || k % subspaces != 0) {
        return Status(ErrorCode::bad_manifest, "manifest field 'mf.pq_subspaces' must divide mf.factors");
      }
      auto codes = shaped_view<std::uint8_t>(bundle, "mf.pq_codes", DType::u8, {n, subspaces});
      if (!codes.ok()) return codes.status();
      auto codebooks = shaped_view<float>(bundle, "mf.pq_codebooks", DType::f32,
                                          {subspaces, kernels::kPqCentroids, k / subspaces});
      if (!codebooks.ok()) return codebooks.status();
      factors.subspaces_ = static_cast<std::size_t>(subspaces);
      factors.codes_ = codes.value();
      factors.codebooks_ = codebooks.value();
      factors.factor_bytes_ = n * subspaces + subspaces * kernels::kPqCentroids * k * 4 / subspaces;
      break;
    }
  }
  return std::optional<ItemFactors>(std::move(factors));
}

}  // namespace shelfwise
