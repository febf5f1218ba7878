// Everything a bundle knows about shoppers' behaviour: the feature definition (always, from the
// catalogue), and when the trainer added them (`shelfwise train --segments K --propensity`), the
// standardisation, the micro-segments and the propensity models.
//
// Manifest "behaviour" (optional): {"features": [names], "visit_gap_seconds", "history_days",
// "max_events"}; the names must equal what this reader computes for the bundle's catalogue, so a
// device never feeds a model features in another order. Tensors "behaviour.mean" and
// "behaviour.scale" f32 [F]: z = (x - mean) · scale, and an unknown (NaN) x gives z = 0. A scale
// of 0 switches a feature off (it did not vary in training). "segments"/"propensity" need it.
#pragma once

#include <optional>
#include <vector>

#include "shelfwise/behaviour_features.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/propensity_model.hpp"
#include "shelfwise/segment_model.hpp"

namespace shelfwise {

struct FeatureStandardiser {
  std::vector<float> mean;
  std::vector<float> scale;
  void apply(const float* raw, float* z) const;
};

class BehaviourModel {
 public:
  BehaviourModel() = default;
  // `catalog` (may be null) must outlive the model.
  static Result<BehaviourModel> from_bundle(const Bundle& bundle, const Catalog* catalog);

  const BehaviourFeatures& features() const { return features_; }
  // Null when the bundle was trained without segments / a standardisation.
  const FeatureStandardiser* standardiser() const { return standardiser_ ? &*standardiser_ : nullptr; }
  const SegmentModel* segments() const { return segments_ ? &*segments_ : nullptr; }
  const PropensityModel& propensity() const { return propensity_; }

 private:
  BehaviourFeatures features_;
  std::optional<FeatureStandardiser> standardiser_;
  std::optional<SegmentModel> segments_;
  PropensityModel propensity_;
};

}  // namespace shelfwise
