// Propensity scores: calibrated logistic models over standardised behaviour features, trained
// natively (models/training/propensity_trainer.hpp). Two targets: "purchase" (the shopper buys in
// this visit) and "return" (the shopper comes back within the trained horizon).
//
// Tensors per target T: "propensity.T.weights" f32 [F + 1] (the bias last) and optionally
// "propensity.T.calibration" f32 [B, 2]: B >= 2 knots (raw probability, calibrated probability),
// raw strictly increasing, both in [0, 1], calibrated non-decreasing; between knots the map is
// linear, outside them it is flat. Manifest "propensity": {"T": {...}} names each target present
// (free-form fields such as "horizon_days", "auc", "ece").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"

namespace shelfwise {

class CalibratedLogistic {
 public:
  // `weights`: F + 1 (bias last); `knots`: pairs (raw, calibrated), possibly empty (no calibration).
  CalibratedLogistic(std::vector<float> weights, std::vector<float> knots);
  static Result<std::optional<CalibratedLogistic>> from_bundle(const Bundle& bundle, const std::string& target,
                                                               std::size_t feature_count);

  // σ(w·z + b) before calibration.
  double raw_probability(const float* z) const;
  // The calibrated probability.
  double probability(const float* z) const { return calibrate(raw_probability(z)); }
  double calibrate(double raw) const;
  std::size_t feature_count() const { return weights_.size() - 1; }
  const std::vector<float>& weights() const { return weights_; }
  const std::vector<float>& knots() const { return knots_; }

 private:
  std::vector<float> weights_;
  std::vector<float> knots_;
};

struct PropensityModel {
  std::optional<CalibratedLogistic> purchase;
  std::optional<CalibratedLogistic> returning;  // target "return"

  static Result<PropensityModel> from_bundle(const Bundle& bundle, std::size_t feature_count);
  bool empty() const { return !purchase && !returning; }
};

inline constexpr std::size_t kMaxCalibrationKnots = 4096;

}  // namespace shelfwise
