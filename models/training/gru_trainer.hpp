// Trains the GRU4Rec-style network (gru_network.hpp in the core) on an interaction log:
// session-parallel minibatches (each row follows one session; a finished session's row takes the
// next session and restarts from a zero state), output columns = the minibatch's targets (each a
// negative for the other rows) plus `negatives` items shared by the minibatch and drawn in
// proportion to support^sample_alpha, BPR-max or cross-entropy, Adagrad with momentum, dropout on
// the input embeddings and on the hidden state. Dense products run through Eigen, on `threads`
// cores when built with OpenMP.
#pragma once

#include <cstdint>
#include <functional>

#include "training/gru_losses.hpp"
#include "training/gru_parameters.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::training {

// Defaults were tuned on diginetica (train_tr -> valid); see README.md.
struct GruTrainingOptions {
  std::size_t hidden_size = 128;
  std::size_t epochs = 10;
  std::size_t batch_size = 128;
  std::size_t negatives = 2048;
  float sample_alpha = 0.3f;
  GruLoss loss = GruLoss::bpr_max;
  float bpr_regularisation = 0.9f;
  float elu_param = 1.0f;     // ELU on the scores before BPR-max (0: none)
  float logq = 0.0f;          // cross-entropy's sampling correction weight
  float learning_rate = 0.05f;
  float momentum = 0.15f;
  float dropout_embedding = 0.5f;
  float dropout_hidden = 0.3f;
  std::uint64_t seed = 42;
  unsigned threads = 1;
};

struct GruEpochReport {
  std::size_t epoch = 0;        // 1-based
  double loss_per_event = 0.0;
  std::uint64_t events = 0;     // training predictions (clicks with a next click)
  double seconds = 0.0;
};

// Item indices of `log` are model indices; items from `log.item_ids.size()` to `item_count` (a
// catalogue's unseen items) keep their initial weights. `on_epoch` sees the parameters after
// each epoch (to evaluate them); `progress` gets the share of all epochs done.
GruParameters train_gru(const InteractionLog& log, std::size_t item_count, const GruTrainingOptions& options,
                        const std::function<void(double)>& progress = {},
                        const std::function<void(const GruEpochReport&, const GruParameters&)>& on_epoch = {});

}  // namespace shelfwise::training
