#include "shelfwise/propensity_model.hpp"

#include <algorithm>
#include <cmath>

namespace shelfwise {

CalibratedLogistic::CalibratedLogistic(std::vector<float> weights, std::vector<float> knots)
    : weights_(std::move(weights)), knots_(std::move(knots)) {}

Result<std::optional<CalibratedLogistic>> CalibratedLogistic::from_bundle(const Bundle& bundle, const std::string& target,
                                                                          std::size_t feature_count) {
  const std::string prefix = "propensity." + target;
  const JsonValue& manifest = bundle.manifest();
  const JsonValue* targets = manifest.find("propensity");
  const JsonValue* fields = targets != nullptr ? targets->find(target) : nullptr;
  const bool described = fields != nullptr;
  const TensorInfo* weights_info = bundle.find(prefix + ".weights");
  const TensorInfo* knots_info = bundle.find(prefix + ".calibration");
  if (!described && weights_info == nullptr && knots_info == nullptr) return std::optional<CalibratedLogistic>();
  if (!described) return Status(ErrorCode::bad_manifest, "manifest field 'propensity." + target + "' is missing (the bundle has its tensors)");
  if (!fields->is_object()) {
    return Status(ErrorCode::bad_manifest, "manifest field 'propensity." + target + "' must be an object");
  }
  if (weights_info == nullptr) return Status(ErrorCode::bad_tensor, "tensor '" + prefix + ".weights' is missing");
  if (weights_info->shape.size() != 1 || weights_info->shape[0] != feature_count + 1) {
    return Status(ErrorCode::shape_mismatch, "tensor '" + prefix + ".weights' must have shape [" +
                                                 std::to_string(feature_count + 1) + "] (features and a bias)");
  }
  const auto weights = bundle.view<float>(prefix + ".weights", DType::f32);
  if (!weights.ok()) return weights.status();
  std::vector<float> knots;
  if (knots_info != nullptr) {
    if (knots_info->shape.size() != 2 || knots_info->shape[1] != 2 || knots_info->shape[0] < 2 ||
        knots_info->shape[0] > kMaxCalibrationKnots) {
      return Status(ErrorCode::shape_mismatch, "tensor '" + prefix + ".calibration' must have shape [2.." +
                                                   std::to_string(kMaxCalibrationKnots) + ", 2]");
    }
    const auto values = bundle.view<float>(prefix + ".calibration", DType::f32);
    if (!values.ok()) return values.status();
    knots.assign(values.value().begin(), values.value().end());
    for (std::size_t knot = 0; knot < knots.size() / 2; ++knot) {
      const float raw = knots[2 * knot], calibrated = knots[2 * knot + 1];
      const bool in_range = raw >= 0.0f && raw <= 1.0f && calibrated >= 0.0f && calibrated <= 1.0f;
      const bool ordered = knot == 0 || (raw > knots[2 * knot - 2] && calibrated >= knots[2 * knot - 1]);
      if (!in_range || !ordered) {
        return Status(ErrorCode::bad_tensor, "tensor '" + prefix + ".calibration' knot " + std::to_string(knot) +
                                                 " is out of [0, 1] or out of order");
      }
    }
  }
  return std::optional<CalibratedLogistic>(
      CalibratedLogistic(std::vector<float>(weights.value().begin(), weights.value().end()), std::move(knots)));
}

double CalibratedLogistic::raw_probability(const float* z) const {
  const std::size_t count = feature_count();
  double logit = weights_[count];
  for (std::size_t feature = 0; feature < count; ++feature) logit += static_cast<double>(weights_[feature]) * z[feature];
  return 1.0 / (1.0 + std::exp(-logit));
}

double CalibratedLogistic::calibrate(double raw) const {
  const std::size_t count = knots_.size() / 2;
  if (count == 0) return raw;
  if (raw <= knots_[0]) return knots_[1];
  if (raw >= knots_[2 * count - 2]) return knots_[2 * count - 1];
  // First knot whose raw value is above `raw`; the one before it is at or below.
  std::size_t high = 1;
  while (knots_[2 * high] <= raw) ++high;
  const double x0 = knots_[2 * high - 2], y0 = knots_[2 * high - 1];
  const double x1 = knots_[2 * high], y1 = knots_[2 * high + 1];
  return y0 + (y1 - y0) * (raw - x0) / (x1 - x0);
}

Result<PropensityModel> PropensityModel::from_bundle(const Bundle& bundle, std::size_t feature_count) {
  const JsonValue& manifest = bundle.manifest();
  if (const JsonValue* fields = manifest.find("propensity")) {
    if (!fields->is_object()) return Status(ErrorCode::bad_manifest, "manifest field 'propensity' must be an object");
    for (const JsonMember& entry : fields->members()) {
      if (entry.key != "purchase" && entry.key != "return") {
        return Status(ErrorCode::bad_manifest, "manifest field 'propensity." + entry.key + "' is not a known target (purchase, return)");
      }
    }
  }
  PropensityModel model;
  auto purchase = CalibratedLogistic::from_bundle(bundle, "purchase", feature_count);
  if (!purchase.ok()) return purchase.status();
  model.purchase = std::move(purchase).value();
  auto returning = CalibratedLogistic::from_bundle(bundle, "return", feature_count);
  if (!returning.ok()) return returning.status();
  model.returning = std::move(returning).value();
  return model;
}

}  // namespace shelfwise
