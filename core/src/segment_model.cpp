#include "shelfwise/segment_model.hpp"

#include <cmath>

namespace shelfwise {

Result<std::optional<SegmentModel>> SegmentModel::from_bundle(const Bundle& bundle, std::size_t feature_count) {
  const TensorInfo* info = bundle.find("segments.centroids");
  const bool described = bundle.manifest().contains("segments");
  if (info == nullptr && !described) return std::optional<SegmentModel>();
  if (info == nullptr) return Status(ErrorCode::bad_tensor, "tensor 'segments.centroids' is missing (the manifest has 'segments')");
  if (!described) return Status(ErrorCode::bad_manifest, "manifest field 'segments' is missing (the bundle has segment centroids)");
  const JsonValue& fields = *bundle.manifest().find("segments");
  if (!fields.is_object()) return Status(ErrorCode::bad_manifest, "manifest field 'segments' must be an object");
  const JsonValue* k = fields.find("k");
  if (k == nullptr || !k->is_number_unsigned() || k->as_unsigned() < 1 || k->as_unsigned() > kMaxSegments) {
    return Status(ErrorCode::bad_manifest, "manifest field 'segments.k' must be a whole number from 1 to " + std::to_string(kMaxSegments));
  }
  if (info->shape.size() != 2 || info->shape[0] != k->as_unsigned() || info->shape[1] != feature_count) {
    return Status(ErrorCode::shape_mismatch, "tensor 'segments.centroids' must have shape [segments.k, " +
                                                 std::to_string(feature_count) + " features]");
  }
  const auto centroids = bundle.view<float>("segments.centroids", DType::f32);
  if (!centroids.ok()) return centroids.status();
  SegmentModel model;
  model.centroids_ = centroids.value();
  model.feature_count_ = feature_count;
  return std::optional<SegmentModel>(std::move(model));
}

SegmentModel::SegmentModel(std::vector<float> centroids, std::size_t feature_count)
    : owned_(std::move(centroids)), feature_count_(feature_count) {}

std::size_t SegmentModel::assign(const float* z, float* distances) const {
  std::size_t best = 0;
  double best_distance = INFINITY;
  for (std::size_t segment = 0; segment < segment_count(); ++segment) {
    const float* centre = centroid(segment);
    double squared = 0.0;
    for (std::size_t feature = 0; feature < feature_count_; ++feature) {
      const double difference = static_cast<double>(z[feature]) - centre[feature];
      squared += difference * difference;
    }
    if (distances != nullptr) distances[segment] = static_cast<float>(std::sqrt(squared));
    if (squared < best_distance) {
      best_distance = squared;
      best = segment;
    }
  }
  return best;
}

}  // namespace shelfwise
