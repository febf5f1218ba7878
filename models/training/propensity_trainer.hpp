// Propensity models: L2-regularised logistic regression on standardised behaviour features,
// fitted by Newton's method (Eigen, an (F+1)×(F+1) solve per step), then calibrated by isotonic
// regression (pool adjacent violators) on a later, held-out slice of the examples.
#pragma once

#include <vector>

#include <Eigen/Dense>

#include "shelfwise/propensity_model.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise::training {

struct LogisticOptions {
  double l2 = 1.0;               // on the weights, not the bias
  std::size_t max_iterations = 50;
  double tolerance = 1e-6;       // stop when the largest weight change is below it
};

// Weights (F) then the bias. INVALID_ARGUMENT without rows, with labels other than 0/1, or when
// `features` and `labels` disagree in length.
Result<std::vector<float>> fit_logistic(const Eigen::MatrixXf& features, const std::vector<float>& labels,
                                        const LogisticOptions& options = {});

// Knots (raw, calibrated), flattened, of the isotonic fit of `labels` on `scores`: one knot per
// pooled block at its mean score; at most kMaxCalibrationKnots (blocks are merged evenly beyond).
// Empty when there are fewer than two distinct blocks (calibration is then the identity).
std::vector<float> fit_isotonic(const std::vector<double>& scores, const std::vector<float>& labels);

struct PropensityFit {
  CalibratedLogistic model{{0.0f}, {}};
  std::size_t train_rows = 0;        // examples the logistic model was fitted on
  std::size_t calibration_rows = 0;  // later examples the calibration was fitted on
};

// Fits on the earliest (1 - calibration_share) of the examples (rows are ordered by `times`) and
// calibrates on the rest.
Result<PropensityFit> fit_propensity(const Eigen::MatrixXf& features, const std::vector<float>& labels,
                                     const std::vector<double>& times, double calibration_share = 0.2,
                                     const LogisticOptions& options = {});

}  // namespace shelfwise::training
