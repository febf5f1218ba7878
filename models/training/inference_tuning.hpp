// Chooses the inference weights of an item-kNN model (recency decay, weight of the related lists)
// on a validation log, by coordinate search over small grids, evaluating the real bundle through
// the core exactly as `shelfwise eval` does.
#pragma once

#include <functional>
#include <vector>

#include "evaluation/next_item_evaluation.hpp"
#include "training/model_bundle.hpp"

namespace shelfwise::training {

enum class TuningObjective { recall, mrr, recall_plus_mrr };

// The number tuning maximises.
double objective_value(const evaluation::NextItemMetrics& metrics, TuningObjective objective);

struct TuningOptions {
  std::size_t k = 20;
  unsigned threads = 1;
  TuningObjective objective = TuningObjective::recall_plus_mrr;
  bool tune_recency_decay = true;
  bool tune_related_weight = true;
};

struct TuningTrial {
  InferenceConfig inference;
  evaluation::NextItemMetrics metrics;
};

struct TuningResult {
  TuningTrial best;
  std::vector<TuningTrial> trials;
};

// `parts.inference` is the starting point; `on_trial` sees each evaluated configuration.
Result<TuningResult> tune_inference(const ModelBundleParts& parts, const InteractionLog& validation,
                                    const TuningOptions& options, const std::function<void(const TuningTrial&)>& on_trial = {});

}  // namespace shelfwise::training
