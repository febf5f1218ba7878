#include "training/gru_minibatch.hpp"

namespace shelfwise::training {
namespace {

RowMatrix gather_rows(const RowMatrix& matrix, const std::vector<std::uint32_t>& rows) {
  RowMatrix gathered(static_cast<Eigen::Index>(rows.size()), matrix.cols());
#pragma omp parallel for schedule(static)
  for (Eigen::Index row = 0; row < gathered.rows(); ++row) gathered.row(row) = matrix.row(rows[static_cast<std::size_t>(row)]);
  return gathered;
}

}  // namespace

float run_gru_minibatch(const GruParameters& parameters, const GruMinibatch& batch, RowMatrix* next_hidden,
                        GruGradients* gradients) {
  const Eigen::Index d = static_cast<Eigen::Index>(parameters.hidden_size());
  const Eigen::Index m = static_cast<Eigen::Index>(batch.inputs.size());
  const RowMatrix& hidden = *batch.hidden;

  RowMatrix x = gather_rows(parameters.item_embeddings, batch.inputs);
  if (batch.embedding_mask.size() != 0) x.array() *= batch.embedding_mask.array();
  // Gate pre-activations: x Wx^T + b, plus h Uh^T for reset and update.
  RowMatrix gates = x * parameters.input_weights.transpose();
  gates.rowwise() += parameters.gate_bias.transpose();
  gates.leftCols(2 * d).noalias() += hidden * parameters.hidden_weights.topRows(2 * d).transpose();
  const RowMatrix reset = gates.leftCols(d).array().logistic().matrix();
  const RowMatrix update = gates.middleCols(d, d).array().logistic().matrix();
  const RowMatrix reset_hidden = (reset.array() * hidden.array()).matrix();
  RowMatrix candidate = gates.rightCols(d);
  candidate.noalias() += reset_hidden * parameters.hidden_weights.bottomRows(d).transpose();
  candidate = candidate.array().tanh().matrix();
  *next_hidden = ((1.0f - update.array()) * hidden.array() + update.array() * candidate.array()).matrix();

  RowMatrix output = *next_hidden;
  if (batch.hidden_mask.size() != 0) output.array() *= batch.hidden_mask.array();
  const RowMatrix output_embeddings = gather_rows(parameters.item_embeddings, batch.output_items);
  RowMatrix scores = output * output_embeddings.transpose();
  for (Eigen::Index column = 0; column < scores.cols(); ++column) {
    scores.col(column).array() += parameters.item_bias[batch.output_items[static_cast<std::size_t>(column)]];
  }
  RowMatrix score_gradient;
  const float loss = batch.loss == GruLoss::bpr_max
                         ? bpr_max_loss(scores, batch.bpr_regularisation, batch.elu_param, &score_gradient)
                         : cross_entropy_loss(scores, batch.log_q, batch.logq_weight, &score_gradient);
  if (gradients == nullptr) return loss;

  gradients->output_rows.noalias() = score_gradient.transpose() * output;
  gradients->output_bias = score_gradient.colwise().sum().transpose();
  RowMatrix hidden_gradient = score_gradient * output_embeddings;
  if (batch.hidden_mask.size() != 0) hidden_gradient.array() *= batch.hidden_mask.array();

  // h' = (1 - z) h + z c
  const RowMatrix candidate_pre = (hidden_gradient.array() * update.array() * (1.0f - candidate.array().square())).matrix();
  const RowMatrix update_pre =
      (hidden_gradient.array() * (candidate.array() - hidden.array()) * update.array() * (1.0f - update.array())).matrix();
  const RowMatrix reset_hidden_gradient = candidate_pre * parameters.hidden_weights.bottomRows(d);
  const RowMatrix reset_pre =
      (reset_hidden_gradient.array() * hidden.array() * reset.array() * (1.0f - reset.array())).matrix();
  RowMatrix gate_gradient(m, 3 * d);
  gate_gradient << reset_pre, update_pre, candidate_pre;

  gradients->input_weights.noalias() = gate_gradient.transpose() * x;
  gradients->hidden_weights.resize(3 * d, d);
  gradients->hidden_weights.topRows(2 * d).noalias() = gate_gradient.leftCols(2 * d).transpose() * hidden;
  gradients->hidden_weights.bottomRows(d).noalias() = candidate_pre.transpose() * reset_hidden;
  gradients->gate_bias = gate_gradient.colwise().sum().transpose();
  gradients->input_rows.noalias() = gate_gradient * parameters.input_weights;
  if (batch.embedding_mask.size() != 0) gradients->input_rows.array() *= batch.embedding_mask.array();
  return loss;
}

}  // namespace shelfwise::training
