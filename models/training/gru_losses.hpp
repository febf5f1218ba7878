// The two ranking losses of GRU4Rec over a minibatch's score matrix. Row r holds one prediction's
// scores for the output columns; its positive (the clicked item) is column r, every other column
// (the other rows' targets, then the shared sampled items) is a negative. Each returns the loss
// summed over rows and writes d(loss)/d(score) into `gradient` (same shape as `scores`).
#pragma once

#include <Eigen/Core>

#include "training/gru_parameters.hpp"

namespace shelfwise::training {

enum class GruLoss { bpr_max, cross_entropy };

// BPR-max (Hidasi & Karatzoglou 2018) on y = ELU(score) (elu_param 0: y = score): with p the
// softmax of the row's negatives, loss = -log(sum_j p_j sigmoid(y_pos - y_j)) + regularisation *
// sum_j p_j y_j^2.
float bpr_max_loss(const RowMatrix& scores, float regularisation, float elu_param, RowMatrix* gradient);

// Softmax cross-entropy over the row, after subtracting logq_weight * log_q[column] from each
// score (the sampling-bias correction; `log_q` may be empty when logq_weight is 0).
float cross_entropy_loss(const RowMatrix& scores, const Eigen::VectorXf& log_q, float logq_weight, RowMatrix* gradient);

}  // namespace shelfwise::training
