#include "shelfwise/behaviour_model.hpp"

#include <cmath>

#include "shelfwise/json_fields.hpp"

namespace shelfwise {
namespace {

Status read_window(const JsonValue& fields, BehaviourWindow* window) {
  double max_events = window->max_events;
  SHELFWISE_RETURN_IF_ERROR(read_number(fields, "visit_gap_seconds", "behaviour.visit_gap_seconds", &window->visit_gap_seconds));
  SHELFWISE_RETURN_IF_ERROR(read_number(fields, "history_days", "behaviour.history_days", &window->history_days));
  SHELFWISE_RETURN_IF_ERROR(read_number(fields, "max_events", "behaviour.max_events", &max_events));
  if (window->visit_gap_seconds < 1.0 || window->visit_gap_seconds > 7 * 86400.0) {
    return Status(ErrorCode::bad_manifest, "manifest field 'behaviour.visit_gap_seconds' must be in [1, 604800]");
  }
  if (window->history_days <= 0.0 || window->history_days > 3650.0) {
    return Status(ErrorCode::bad_manifest, "manifest field 'behaviour.history_days' must be in (0, 3650]");
  }
  if (max_events < 1.0 || max_events > static_cast<double>(kMaxBehaviourEvents) || max_events != std::floor(max_events)) {
    return Status(ErrorCode::bad_manifest, "manifest field 'behaviour.max_events' must be a whole number from 1 to " +
                                               std::to_string(kMaxBehaviourEvents));
  }
  window->max_events = static_cast<std::uint32_t>(max_events);
  return Status::ok_status();
}

Result<std::vector<float>> read_feature_vector(const Bundle& bundle, const char* name, std::size_t feature_count) {
  const TensorInfo* info = bundle.find(name);
  if (info == nullptr) return Status(ErrorCode::bad_tensor, std::string("tensor '") + name + "' is missing (the manifest has 'behaviour')");
  if (info->shape.size() != 1 || info->shape[0] != feature_count) {
    return Status(ErrorCode::shape_mismatch, std::string("tensor '") + name + "' must have one value per behaviour feature (" +
                                                 std::to_string(feature_count) + ")");
  }
  const auto values = bundle.view<float>(name, DType::f32);
  if (!values.ok()) return values.status();
  return std::vector<float>(values.value().begin(), values.value().end());
}

}  // namespace

void FeatureStandardiser::apply(const float* raw, float* z) const {
  for (std::size_t feature = 0; feature < mean.size(); ++feature) {
    z[feature] = std::isnan(raw[feature]) ? 0.0f : (raw[feature] - mean[feature]) * scale[feature];
  }
}

Result<BehaviourModel> BehaviourModel::from_bundle(const Bundle& bundle, const Catalog* catalog) {
  BehaviourModel model;
  const JsonValue& manifest = bundle.manifest();
  const JsonValue* fields = manifest.find("behaviour");
  if (fields == nullptr) {
    model.features_ = BehaviourFeatures(catalog, bundle.item_count());
    if (manifest.contains("segments") || manifest.contains("propensity") || bundle.find("behaviour.mean") != nullptr) {
      return Status(ErrorCode::bad_manifest, "manifest field 'behaviour' is missing (the bundle has segments or propensity)");
    }
    return model;
  }
  if (!fields->is_object()) return Status(ErrorCode::bad_manifest, "manifest field 'behaviour' must be an object");
  BehaviourWindow window;
  SHELFWISE_RETURN_IF_ERROR(read_window(*fields, &window));
  model.features_ = BehaviourFeatures(catalog, bundle.item_count(), window);
  const JsonValue* names = fields->find("features");
  if (names == nullptr || !names->is_array()) {
    return Status(ErrorCode::bad_manifest, "manifest field 'behaviour.features' must be an array of names");
  }
  const auto& expected = model.features_.names();
  if (names->size() != expected.size()) {
    return Status(ErrorCode::bad_manifest, "manifest field 'behaviour.features' lists " + std::to_string(names->size()) +
                                               " features; this reader computes " + std::to_string(expected.size()) +
                                               " for the bundle's catalogue");
  }
  for (std::size_t index = 0; index < expected.size(); ++index) {
    if (!(*names)[index].is_string() || (*names)[index].as_string() != expected[index]) {
      return Status(ErrorCode::bad_manifest, "manifest field 'behaviour.features[" + std::to_string(index) +
                                                 "]' must be '" + expected[index] + "'");
    }
  }
  FeatureStandardiser standardiser;
  auto mean = read_feature_vector(bundle, "behaviour.mean", expected.size());
  if (!mean.ok()) return mean.status();
  auto scale = read_feature_vector(bundle, "behaviour.scale", expected.size());
  if (!scale.ok()) return scale.status();
  for (const float value : scale.value()) {
    if (value < 0.0f) return Status(ErrorCode::bad_tensor, "tensor 'behaviour.scale' holds a negative scale");
  }
  standardiser.mean = std::move(mean).value();
  standardiser.scale = std::move(scale).value();
  model.standardiser_ = std::move(standardiser);
  auto segments = SegmentModel::from_bundle(bundle, expected.size());
  if (!segments.ok()) return segments.status();
  model.segments_ = std::move(segments).value();
  auto propensity = PropensityModel::from_bundle(bundle, expected.size());
  if (!propensity.ok()) return propensity.status();
  model.propensity_ = std::move(propensity).value();
  return model;
}

}  // namespace shelfwise
