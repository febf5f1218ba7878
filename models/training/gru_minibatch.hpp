// One step of session-parallel training (Hidasi et al. 2016): each row of the minibatch is one
// session at one click; the input is that click's item, the target the next click. The forward
// pass runs the GRU (no backpropagation through time: the previous hidden state is a constant,
// as in GRU4Rec), scores the output columns (the rows' targets, then the shared sampled items),
// and the backward pass yields the gradients of the summed loss.
#pragma once

#include <cstdint>
#include <vector>

#include "training/gru_losses.hpp"
#include "training/gru_parameters.hpp"

namespace shelfwise::training {

struct GruMinibatch {
  std::vector<std::uint32_t> inputs;          // m items
  std::vector<std::uint32_t> output_items;    // m targets, then the sampled negatives
  const RowMatrix* hidden = nullptr;          // m x d, the state before this click
  // Inverted-dropout masks (0 or 1/(1-p)); empty for none. m x d each.
  RowMatrix embedding_mask;
  RowMatrix hidden_mask;
  GruLoss loss = GruLoss::bpr_max;
  float bpr_regularisation = 0.0f;
  float elu_param = 0.0f;
  Eigen::VectorXf log_q;  // per output column, for cross-entropy's logq correction
  float logq_weight = 0.0f;
};

// Gradients of one step. Embedding gradients are per row of the step (duplicates not merged).
struct GruGradients {
  RowMatrix input_weights;     // 3d x d
  RowMatrix hidden_weights;    // 3d x d
  Eigen::VectorXf gate_bias;   // 3d
  RowMatrix input_rows;        // m x d: d(loss)/d(embedding of inputs[r])
  RowMatrix output_rows;       // columns x d: d(loss)/d(embedding of output_items[c])
  Eigen::VectorXf output_bias; // columns
};

// Runs the step; writes the new hidden state (m x d, before dropout) and, when `gradients` is
// not null, the gradients. Returns the summed loss.
float run_gru_minibatch(const GruParameters& parameters, const GruMinibatch& batch, RowMatrix* next_hidden,
                        GruGradients* gradients);

}  // namespace shelfwise::training
