// Micro-segments: k centroids over standardised behaviour features, trained by k-means on the
// server (models/training/kmeans_trainer.hpp). The device assigns a shopper to the nearest one.
//
// Tensors: "segments.centroids" f32 [k, F] in standardised units. Manifest "segments":
// {"k": k, ...} (the trainer adds free-form "summary", "inertia", "restarts").
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"

namespace shelfwise {

inline constexpr std::size_t kMaxSegments = 256;

class SegmentModel {
 public:
  // nullopt when the bundle has no segments. `feature_count` is F, checked against the tensor.
  static Result<std::optional<SegmentModel>> from_bundle(const Bundle& bundle, std::size_t feature_count);
  // For trainers and tests: row-major [k, F].
  SegmentModel(std::vector<float> centroids, std::size_t feature_count);

  std::size_t segment_count() const { return feature_count_ == 0 ? 0 : values().size() / feature_count_; }
  std::size_t feature_count() const { return feature_count_; }
  const float* centroid(std::size_t segment) const { return values().data() + segment * feature_count_; }

  // The nearest centroid to standardised features `z` (ties: the lower id); `distances` (if not
  // null) receives the Euclidean distance to each of the segment_count() centroids.
  std::size_t assign(const float* z, float* distances) const;

 private:
  SegmentModel() = default;
  // Centroids read in place from a bundle, or owned (trainers, tests): copies stay valid either way.
  ArrayView<float> values() const { return owned_.empty() ? centroids_ : ArrayView<float>(owned_.data(), owned_.size()); }
  std::vector<float> owned_;
  ArrayView<float> centroids_;
  std::size_t feature_count_ = 0;
};

}  // namespace shelfwise
