#include "training/gru_losses.hpp"

#include <algorithm>
#include <cmath>

namespace shelfwise::training {
namespace {

constexpr float kLogFloor = 1e-24f;

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Each row of `scores` (one session step against the sampled items) is independent: `row_loss(row,
// gradient_row)` fills that row of `gradient` and returns its loss; rows run on all cores.
template <typename RowLoss>
float sum_over_rows(const RowMatrix& scores, RowMatrix* gradient, RowLoss&& row_loss) {
  const Eigen::Index rows = scores.rows();
  gradient->resize(rows, scores.cols());
  double total = 0.0;
#pragma omp parallel for reduction(+ : total) schedule(static)
  for (Eigen::Index row = 0; row < rows; ++row) total += row_loss(row, gradient->row(row).data());
  return static_cast<float>(total);
}

}  // namespace

float bpr_max_loss(const RowMatrix& scores, float regularisation, float elu_param, RowMatrix* gradient) {
  const Eigen::Index columns = scores.cols();
  return sum_over_rows(scores, gradient, [&](Eigen::Index row, float* out) {
    const float* logits = scores.row(row).data();
    // y and dy/dlogit, kept in the gradient row until the end.
    Eigen::VectorXf y(columns), slope(columns), p(columns), sig(columns);
    for (Eigen::Index column = 0; column < columns; ++column) {
      const float logit = logits[column];
      if (elu_param > 0.0f && logit <= 0.0f) {
        y[column] = elu_param * (std::exp(logit) - 1.0f);
        slope[column] = y[column] + elu_param;
      } else {
        y[column] = logit;
        slope[column] = 1.0f;
      }
    }
    const float positive = y[row];
    float top = -INFINITY;
    for (Eigen::Index column = 0; column < columns; ++column) {
      if (column != row) top = std::max(top, y[column]);
    }
    double norm = 0.0;
    for (Eigen::Index column = 0; column < columns; ++column) {
      p[column] = column == row ? 0.0f : std::exp(y[column] - top);
      norm += p[column];
    }
    double agreement = 0.0;  // A = sum p_j sigmoid(y_pos - y_j)
    double second_moment = 0.0;  // Q = sum p_j y_j^2
    for (Eigen::Index column = 0; column < columns; ++column) {
      p[column] = static_cast<float>(p[column] / norm);
      sig[column] = sigmoid(positive - y[column]);
      agreement += p[column] * sig[column];
      second_moment += p[column] * y[column] * y[column];
    }
    const double a = agreement + kLogFloor;
    double positive_gradient = 0.0;
    for (Eigen::Index column = 0; column < columns; ++column) {
      if (column == row) continue;
      const double s = sig[column];
      positive_gradient -= p[column] * s * (1.0 - s) / a;
      // d(-log A)/dy_k = -p_k (s_k^2 - A) / A;  d(reg)/dy_k = reg p_k (2 y_k + y_k^2 - Q).
      const double dy = -p[column] * (s * s - agreement) / a +
                        regularisation * p[column] * (2.0 * y[column] + y[column] * y[column] - second_moment);
      out[column] = static_cast<float>(dy * slope[column]);
    }
    out[row] = static_cast<float>(positive_gradient * slope[row]);
    return -std::log(a) + regularisation * second_moment;
  });
}

float cross_entropy_loss(const RowMatrix& scores, const Eigen::VectorXf& log_q, float logq_weight, RowMatrix* gradient) {
  const Eigen::Index columns = scores.cols();
  return sum_over_rows(scores, gradient, [&](Eigen::Index row, float* out) {
    float top = -INFINITY;
    for (Eigen::Index column = 0; column < columns; ++column) {
      out[column] = scores(row, column) - (logq_weight != 0.0f ? logq_weight * log_q[column] : 0.0f);
      top = std::max(top, out[column]);
    }
    double norm = 0.0;
    for (Eigen::Index column = 0; column < columns; ++column) {
      out[column] = std::exp(out[column] - top);
      norm += out[column];
    }
    for (Eigen::Index column = 0; column < columns; ++column) out[column] = static_cast<float>(out[column] / norm);
    const double loss = -std::log(static_cast<double>(out[row]) + kLogFloor);
    out[row] -= 1.0f;
    return loss;
  });
}

}  // namespace shelfwise::training
