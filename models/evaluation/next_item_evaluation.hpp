// The next-item protocol of the session-based literature: for each session s1..sn and each
// t = 1..n-1, rank the whole catalogue for s(t+1) given s1..st (nothing removed from the
// ranking, targets the model does not know count as misses).
// Recall@k (= HR@k, one target per prediction), MRR@k (1/rank, 0 beyond k), coverage@k (share
// of the catalogue that appears in some top-k list).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "shelfwise/model.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::evaluation {

struct NextItemMetrics {
  std::size_t k = 20;
  std::uint64_t sessions = 0;
  std::uint64_t predictions = 0;
  double recall = 0.0;
  double mrr = 0.0;
  double coverage = 0.0;
  double ms_per_prediction = 0.0;  // wall time of one thread per prediction
  double ms_p50_per_prediction = 0.0;  // median of the recommend() calls alone (state update, scoring, top-k)
};

struct NextItemOptions {
  std::size_t k = 20;
  unsigned threads = 1;
};

// Metrics are summed in prediction order whatever the thread count, so they are bit-identical
// across runs and with the SDK's `npm run eval`.
Result<NextItemMetrics> evaluate_next_item(const std::shared_ptr<const Model>& model, const training::InteractionLog& log,
                                           const NextItemOptions& options, const std::function<void(double)>& progress = {});

}  // namespace shelfwise::evaluation
