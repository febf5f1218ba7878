#include "training/propensity_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace shelfwise::training {

Result<std::vector<float>> fit_logistic(const Eigen::MatrixXf& features, const std::vector<float>& labels,
                                        const LogisticOptions& options) {
  const Eigen::Index n = features.rows();
  const Eigen::Index f = features.cols();
  if (n == 0) return Status(ErrorCode::invalid_argument, "logistic regression needs at least one example");
  if (static_cast<std::size_t>(n) != labels.size()) {
    return Status(ErrorCode::invalid_argument, "logistic regression: features and labels differ in length");
  }
  for (const float label : labels) {
    if (label != 0.0f && label != 1.0f) return Status(ErrorCode::invalid_argument, "logistic regression labels must be 0 or 1");
  }
  // Design matrix with a column of ones for the bias.
  Eigen::MatrixXd x(n, f + 1);
  x.leftCols(f) = features.cast<double>();
  x.col(f).setOnes();
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXf>(labels.data(), n).cast<double>();
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(f + 1, options.l2);
  penalty[f] = 0.0;
  Eigen::VectorXd weights = Eigen::VectorXd::Zero(f + 1);
  const double base_rate = std::clamp(y.mean(), 1e-6, 1.0 - 1e-6);
  weights[f] = std::log(base_rate / (1.0 - base_rate));
  // Penalised negative log-likelihood, computed stably: log(1 + e^m) - y·m per example.
  const auto objective = [&](const Eigen::VectorXd& w) {
    const Eigen::ArrayXd margin = (x * w).array();
    const Eigen::ArrayXd softplus = margin.max(0.0) + (-margin.abs()).exp().log1p();
    return (softplus - y.array() * margin).sum() + 0.5 * (penalty.array() * w.array().square()).sum();
  };
  double current = objective(weights);
  for (std::size_t iteration = 0; iteration < options.max_iterations; ++iteration) {
    const Eigen::VectorXd p = ((-(x * weights)).array().exp() + 1.0).inverse().matrix();
    const Eigen::VectorXd gradient = x.transpose() * (p - y) + penalty.cwiseProduct(weights);
    const Eigen::VectorXd curvature = (p.array() * (1.0 - p.array())).max(1e-9).matrix();
    Eigen::MatrixXd hessian = x.transpose() * curvature.asDiagonal() * x;
    hessian.diagonal() += penalty + Eigen::VectorXd::Constant(f + 1, 1e-9);
    Eigen::VectorXd step = hessian.ldlt().solve(gradient);
    if (!step.allFinite()) break;
    // Newton overshoots on (nearly) separable data; halve the step until the objective improves.
    double next = objective(weights - step);
    for (int halving = 0; halving < 30 && !(next <= current); ++halving) {
      step *= 0.5;
      next = objective(weights - step);
    }
    if (!(next <= current)) break;
    weights -= step;
    current = next;
    if (step.cwiseAbs().maxCoeff() < options.tolerance) break;
  }
  std::vector<float> result(static_cast<std::size_t>(f + 1));
  for (Eigen::Index index = 0; index <= f; ++index) result[index] = static_cast<float>(weights[index]);
  return result;
}

std::vector<float> fit_isotonic(const std::vector<double>& scores, const std::vector<float>& labels) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  struct Block {
    double score_sum, label_sum, count;
  };
  std::vector<Block> blocks;
  for (const std::size_t index : order) {
    blocks.push_back({scores[index], static_cast<double>(labels[index]), 1.0});
    // Pool while the block before has a higher mean label (or the same score: one x, one y).
    while (blocks.size() > 1) {
      const Block& last = blocks.back();
      const Block& before = blocks[blocks.size() - 2];
      const bool violates = before.label_sum / before.count >= last.label_sum / last.count;
      const bool same_score = before.score_sum / before.count >= last.score_sum / last.count;
      if (!violates && !same_score) break;
      Block merged{before.score_sum + last.score_sum, before.label_sum + last.label_sum, before.count + last.count};
      blocks.pop_back();
      blocks.back() = merged;
    }
  }
  // Too many blocks: merge neighbours evenly (still monotone, since both means stay ordered).
  while (blocks.size() > kMaxCalibrationKnots) {
    std::vector<Block> halved;
    for (std::size_t index = 0; index < blocks.size(); index += 2) {
      Block block = blocks[index];
      if (index + 1 < blocks.size()) {
        block.score_sum += blocks[index + 1].score_sum;
        block.label_sum += blocks[index + 1].label_sum;
        block.count += blocks[index + 1].count;
      }
      halved.push_back(block);
    }
    blocks = std::move(halved);
  }
  if (blocks.size() < 2) return {};
  std::vector<float> knots;
  float previous_raw = -1.0f;
  for (const Block& block : blocks) {
    const float raw = static_cast<float>(std::clamp(block.score_sum / block.count, 0.0, 1.0));
    const float calibrated = static_cast<float>(std::clamp(block.label_sum / block.count, 0.0, 1.0));
    if (raw <= previous_raw) continue;  // float rounding may collapse two means: keep the first
    knots.push_back(raw);
    knots.push_back(knots.size() > 2 ? std::max(calibrated, knots[knots.size() - 2]) : calibrated);
    previous_raw = raw;
  }
  if (knots.size() < 4) return {};
  return knots;
}

Result<PropensityFit> fit_propensity(const Eigen::MatrixXf& features, const std::vector<float>& labels,
                                     const std::vector<double>& times, double calibration_share,
                                     const LogisticOptions& options) {
  const std::size_t n = labels.size();
  if (n < 2 || times.size() != n || static_cast<std::size_t>(features.rows()) != n) {
    return Status(ErrorCode::invalid_argument, "propensity needs at least two examples with features, labels and times");
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
  std::size_t calibration_rows = static_cast<std::size_t>(std::floor(static_cast<double>(n) * calibration_share));
  calibration_rows = std::min(calibration_rows, n - 1);
  const std::size_t train_rows = n - calibration_rows;
  Eigen::MatrixXf train(static_cast<Eigen::Index>(train_rows), features.cols());
  std::vector<float> train_labels(train_rows);
  for (std::size_t row = 0; row < train_rows; ++row) {
    train.row(static_cast<Eigen::Index>(row)) = features.row(static_cast<Eigen::Index>(order[row]));
    train_labels[row] = labels[order[row]];
  }
  auto weights = fit_logistic(train, train_labels, options);
  if (!weights.ok()) return weights.status();
  CalibratedLogistic uncalibrated(weights.value(), {});
  std::vector<double> scores;
  std::vector<float> calibration_labels;
  std::vector<float> row(static_cast<std::size_t>(features.cols()));
  for (std::size_t index = train_rows; index < n; ++index) {
    for (Eigen::Index feature = 0; feature < features.cols(); ++feature) row[feature] = features(order[index], feature);
    scores.push_back(uncalibrated.raw_probability(row.data()));
    calibration_labels.push_back(labels[order[index]]);
  }
  PropensityFit fit;
  fit.model = CalibratedLogistic(weights.value(), fit_isotonic(scores, calibration_labels));
  fit.train_rows = train_rows;
  fit.calibration_rows = calibration_rows;
  return fit;
}

}  // namespace shelfwise::training
