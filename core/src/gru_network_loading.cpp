// GruNetwork::from_bundle: the tensors checked and viewed in place, once per load (compiled for
// size in the wasm; the step and the scoring in gru_network.cpp are the request path).
#include "shelfwise/gru_network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "shelfwise/finite_values.hpp"
#include "shelfwise/gru_kernels.hpp"
#include "shelfwise/order_checks.hpp"

namespace shelfwise {
namespace {

// The largest |value| of finite values (read_bundle checked the stored ones; the computed copy
// comes from them); Inf should one not be, which only widens the scorer's bound. A loop of its own,
// out of from_bundle: see order_checks.hpp on loaders and V8's tier-up.
float largest_magnitude(ArrayView<float> values) {
  const auto largest = largest_finite_magnitude_f32(reinterpret_cast<const std::uint8_t*>(values.data()), values.size());
  return largest.value_or(std::numeric_limits<float>::infinity());
}

// `matrix` (rows x columns, row-major) column by column into `out`.
void transpose(const float* matrix, std::size_t rows, std::size_t columns, std::vector<float>* out) {
  out->resize(rows * columns);
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t column = 0; column < columns; ++column) (*out)[column * rows + row] = matrix[row * columns + column];
  }
}

Status view_with_shape(const Bundle& bundle, const char* name, std::uint64_t rows, std::uint64_t columns,
                       ArrayView<float>* out) {
  const TensorInfo* info = bundle.find(name);
  auto view = bundle.view<float>(name, DType::f32);
  if (!view.ok()) return view.status();
  const bool matrix = columns != 0;
  const bool matches = matrix ? info->shape.size() == 2 && info->shape[0] == rows && info->shape[1] == columns
                              : info->shape.size() == 1 && info->shape[0] == rows;
  if (!matches) {
    const std::string wanted = matrix ? "[" + std::to_string(rows) + ", " + std::to_string(columns) + "]"
                                      : "[" + std::to_string(rows) + "]";
    return Status(ErrorCode::shape_mismatch, "tensor '" + std::string(name) + "' must have shape " + wanted);
  }
  *out = view.value();
  return Status::ok_status();
}

// The stored int8 copy of the embeddings (gru_quantisation.hpp), or false when the bundle has none;
// check_code_blocks() checks the codes' size once view_rotation() knows how many dimensions they hold.
Result<bool> view_quantised(const Bundle& bundle, std::uint64_t n, GruNetwork::QuantisedEmbeddings* out) {
  if (bundle.find("gru.item_codes") == nullptr) return false;
  const auto codes = bundle.view<std::int8_t>("gru.item_codes", DType::i8);
  if (!codes.ok()) return codes.status();
  out->codes = codes.value();
  for (const auto& [name, view] : {std::pair{"gru.item_code_scales", &out->scales},
                                   std::pair{"gru.item_residual_norms", &out->residual_norms},
                                   std::pair{"gru.item_magnitudes", &out->magnitudes}}) {
    SHELFWISE_RETURN_IF_ERROR(view_with_shape(bundle, name, n, 0, view));
    if (count_negative(*view) != 0) return Status(ErrorCode::bad_tensor, "tensor '" + std::string(name) + "' holds a negative value");
  }
  return true;
}

// A rotated copy's extras (gru_quantisation.hpp), or nothing for a copy without them. A separate
// function: the orthonormality check is d^3 / 2 multiply-adds (see order_checks.hpp on loaders).
Status view_rotation(const Bundle& bundle, std::uint64_t d, std::uint64_t n, bool has_codes,
                     GruNetwork::QuantisedEmbeddings* out) {
  const bool rotated = bundle.find("gru.code_rotation") != nullptr;
  for (const char* name : {"gru.item_code_tails", "gru.code_prefix_dimensions"}) {
    if ((bundle.find(name) != nullptr) != rotated) {
      return Status(ErrorCode::bad_tensor, std::string("tensor '") + name + "' comes only with 'gru.code_rotation'");
    }
  }
  const TensorInfo* code_rows = bundle.find("gru.item_code_rows");
  if (code_rows != nullptr && !rotated) {
    return Status(ErrorCode::bad_tensor, "tensor 'gru.item_code_rows' comes only with 'gru.code_rotation'");
  }
  if (!rotated) return Status::ok_status();
  if (!has_codes) return Status(ErrorCode::bad_tensor, "tensor 'gru.code_rotation' comes only with 'gru.item_codes'");
  SHELFWISE_RETURN_IF_ERROR(view_with_shape(bundle, "gru.code_rotation", d, d, &out->rotation));
  SHELFWISE_RETURN_IF_ERROR(view_with_shape(bundle, "gru.item_code_tails", n, 0, &out->tails));
  if (count_negative(out->tails) != 0) return Status(ErrorCode::bad_tensor, "tensor 'gru.item_code_tails' holds a negative value");
  const auto prefix = bundle.view<std::uint32_t>("gru.code_prefix_dimensions", DType::u32);
  if (!prefix.ok()) return prefix.status();
  if (prefix.value().size() != 1) return Status(ErrorCode::shape_mismatch, "tensor 'gru.code_prefix_dimensions' must have shape [1]");
  const std::uint32_t dimensions = prefix.value()[0];
  if (dimensions < 2 || dimensions % 2 != 0 || dimensions > gru_kernels::padded_dimensions(d)) {
    return Status(ErrorCode::bad_tensor, "tensor 'gru.code_prefix_dimensions' must be even, between 2 and " +
                                             std::to_string(gru_kernels::padded_dimensions(d)));
  }
  const RotationCheck check = check_rotation(out->rotation.data(), d);
  if (!(check.gamma <= GruNetwork::kMaxRotationError)) {
    return Status(ErrorCode::bad_tensor, "tensor 'gru.code_rotation' is not orthonormal");
  }
  if (code_rows != nullptr) {
    const auto view = bundle.view<std::int8_t>("gru.item_code_rows", DType::i8);
    if (!view.ok()) return view.status();
    const std::uint64_t width = gru_kernels::padded_dimensions(d);
    if (code_rows->shape.size() != 2 || code_rows->shape[0] != n || code_rows->shape[1] != width) {
      return Status(ErrorCode::shape_mismatch, "tensor 'gru.item_code_rows' must have shape [" + std::to_string(n) + ", " +
                                                   std::to_string(width) + "]");
    }
    if (dimensions == width) {
      return Status(ErrorCode::bad_tensor, "tensor 'gru.item_code_rows' comes only with a prefix shorter than every dimension");
    }
    out->code_rows = view.value();
  }
  out->prefix_dimensions = dimensions;
  out->rotation_gamma = check.gamma;
  out->rotation_frobenius = check.frobenius;
  return Status::ok_status();
}

// The blocks hold every dimension's codes, or (a v6 rotated copy) the prefix's only.
Status check_code_blocks(const Bundle& bundle, std::uint64_t d, std::uint64_t n, const GruNetwork::QuantisedEmbeddings& copy) {
  const std::uint64_t dimensions = copy.code_rows.empty() ? d : copy.prefix_dimensions;
  const TensorInfo* info = bundle.find("gru.item_codes");
  if (info->shape.size() != 1 || info->shape[0] != gru_kernels::code_bytes(n, dimensions)) {
    return Status(ErrorCode::shape_mismatch, "tensor 'gru.item_codes' must have shape [" +
                                                 std::to_string(gru_kernels::code_bytes(n, dimensions)) + "] (the item blocks)");
  }
  return Status::ok_status();
}

// Bounds on what a GRU bundle may hold, so that no sum of the step or the scoring leaves the float
// range: the hidden state stays within [-1, 1] (a convex mix of itself and a tanh), so a gate's
// pre-activation is at most B + 2 d B^2 < 2^90 and a score B + d B, for B = 2^40 and d <= 512. A
// NaN born of Inf - Inf would otherwise reach exp() and the top-k comparisons. The int8 copy's
// scales and norms are at most sqrt(d) * 2B for such embeddings.
constexpr float kMaxWeightMagnitude = 1099511627776.0f;          // 2^40
constexpr float kMaxCopyMagnitude = 281474976710656.0f;          // 2^48

Status check_magnitudes(const Bundle& bundle) {
  for (const TensorInfo& tensor : bundle.tensors()) {
    if (tensor.name.rfind("gru.", 0) != 0 || (tensor.dtype != DType::f32 && tensor.dtype != DType::f16)) continue;
    const bool copy = tensor.name == "gru.item_code_scales" || tensor.name == "gru.item_residual_norms" ||
                      tensor.name == "gru.item_magnitudes" || tensor.name == "gru.item_code_tails";
    if (tensor.largest_magnitude > (copy ? kMaxCopyMagnitude : kMaxWeightMagnitude)) {
      return Status(ErrorCode::bad_tensor, "tensor '" + tensor.name + "' holds a value beyond +-2^" + (copy ? "48" : "40") +
                                               " (the network's sums must stay finite)");
    }
  }
  return Status::ok_status();
}

}  // namespace

Result<GruNetwork> GruNetwork::from_bundle(const Bundle& bundle) {
  SHELFWISE_RETURN_IF_ERROR(check_magnitudes(bundle));
  const TensorInfo* embeddings = bundle.find("gru.item_embeddings");
  if (embeddings == nullptr) return Status(ErrorCode::bad_tensor, "tensor 'gru.item_embeddings' is missing");
  if (embeddings->shape.size() != 2 || embeddings->shape[0] == 0 || embeddings->shape[0] > kMaxGruHiddenSize) {
    return Status(ErrorCode::shape_mismatch, "tensor 'gru.item_embeddings' must have shape [d, item_count] with 1 <= d <= " +
                                                 std::to_string(kMaxGruHiddenSize));
  }
  GruNetwork network;
  network.hidden_size_ = static_cast<std::size_t>(embeddings->shape[0]);
  network.item_count_ = static_cast<std::size_t>(bundle.item_count());
  const std::uint64_t d = network.hidden_size_;
  if (embeddings->dtype == DType::f16) {
    const auto halves = bundle.view<std::uint16_t>("gru.item_embeddings", DType::f16);
    if (!halves.ok()) return halves.status();
    if (embeddings->shape[1] != bundle.item_count()) {
      return Status(ErrorCode::shape_mismatch, "tensor 'gru.item_embeddings' must have shape [" + std::to_string(d) + ", " +
                                                   std::to_string(bundle.item_count()) + "]");
    }
    network.half_embeddings_ = halves.value().data();
  } else {
    SHELFWISE_RETURN_IF_ERROR(view_with_shape(bundle, "gru.item_embeddings", d, bundle.item_count(), &network.item_embeddings_));
  }
  SHELFWISE_RETURN_IF_ERROR(view_with_shape(bundle, "gru.item_bias", bundle.item_count(), 0, &network.item_bias_));
  SHELFWISE_RETURN_IF_ERROR(view_with_shape(bundle, "gru.input_weights", 3 * d, d, &network.input_weights_));
  SHELFWISE_RETURN_IF_ERROR(view_with_shape(bundle, "gru.hidden_weights", 3 * d, d, &network.hidden_weights_));
  SHELFWISE_RETURN_IF_ERROR(view_with_shape(bundle, "gru.gate_bias", 3 * d, 0, &network.gate_bias_));
  for (const auto& [weights, columns] : {std::pair{network.input_weights_.data(), &network.input_columns_},
                                         std::pair{network.hidden_weights_.data(), &network.hidden_columns_}}) {
    transpose(weights, 3 * d, d, columns);
  }
  auto stored = view_quantised(bundle, bundle.item_count(), &network.quantised_);
  if (!stored.ok()) return stored.status();
  QuantisedEmbeddings& quantised = network.quantised_;
  SHELFWISE_RETURN_IF_ERROR(view_rotation(bundle, d, bundle.item_count(), stored.value(), &quantised));
  if (stored.value()) SHELFWISE_RETURN_IF_ERROR(check_code_blocks(bundle, d, bundle.item_count(), quantised));
  if (!stored.value() && network.half_embeddings_ != nullptr) {
    // f16 bundles come from `shelfwise quantize`, which always writes the copy.
    return Status(ErrorCode::bad_tensor, "tensor 'gru.item_codes' is missing (a gru bundle with f16 embeddings carries it)");
  }
  if (!stored.value()) {
    network.computed_ = std::make_shared<const GruQuantisedEmbeddings>(
        quantise_gru_embeddings(network.item_embeddings_.data(), network.hidden_size_, network.item_count_));
    const GruQuantisedEmbeddings& computed = *network.computed_;
    quantised.codes = ArrayView<std::int8_t>(computed.codes.data(), computed.codes.size());
    quantised.scales = ArrayView<float>(computed.scales.data(), computed.scales.size());
    quantised.residual_norms = ArrayView<float>(computed.residual_norms.data(), computed.residual_norms.size());
    quantised.magnitudes = ArrayView<float>(computed.magnitudes.data(), computed.magnitudes.size());
  }
  // Norms and magnitudes are never negative, so their largest magnitude is their largest value.
  quantised.max_residual_norm = largest_magnitude(quantised.residual_norms);
  quantised.max_magnitude = largest_magnitude(quantised.magnitudes);
  quantised.max_abs_bias = largest_magnitude(network.item_bias_);
  if (quantised.prefix_dimensions != 0) quantised.max_tail = largest_magnitude(quantised.tails);
  return Result<GruNetwork>(std::move(network));
}

}  // namespace shelfwise
