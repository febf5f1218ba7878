// Chooses the inference settings of a session-kNN model (SessionKnnConfig) on a validation log by
// coordinate search over small grids, two rounds, evaluating the real bundle through the core as
// `shelfwise eval` does. The stored sessions do not depend on these settings, so no retraining.
#pragma once

#include <functional>
#include <vector>

#include "training/inference_tuning.hpp"

namespace shelfwise::training {

struct SessionKnnTuningOptions {
  std::size_t k = 20;
  unsigned threads = 1;
  TuningObjective objective = TuningObjective::recall_plus_mrr;
  // Settings fixed by the caller are left alone.
  bool tune_neighbours = true;
  bool tune_sample_size = true;
  bool tune_position_weighting = true;
  bool tune_match_weighting = true;
  bool tune_idf_weight = true;
  bool tune_max_session_items = true;
  bool tune_neighbour_position_decay = true;
  bool tune_session_position_decay = true;
  bool tune_neighbour_recency_half_life = true;
  bool tune_session_item_weight = true;
  bool tune_similarity_idf_weight = true;
  bool tune_neighbour_length_exponent = true;
  bool tune_similarity_exponent = true;
};

struct SessionKnnTrial {
  SessionKnnConfig inference;
  evaluation::NextItemMetrics metrics;
};

struct SessionKnnTuningResult {
  SessionKnnTrial best;
  std::vector<SessionKnnTrial> trials;
};

// `parts.session_knn_inference` is the starting point; `on_trial` sees each evaluated setting.
Result<SessionKnnTuningResult> tune_session_knn(const ModelBundleParts& parts, const InteractionLog& validation,
                                                const SessionKnnTuningOptions& options,
                                                const std::function<void(const SessionKnnTrial&)>& on_trial = {});

}  // namespace shelfwise::training
