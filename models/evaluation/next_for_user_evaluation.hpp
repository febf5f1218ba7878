// The leave-one-out protocol of the per-user literature (SASRec, RecBole "LS"): for each user of
// `events` (rows keyed by user_id, or by session when anonymous), their first row there is the
// target; their rows in `history` are folded into a user vector (user_vector.hpp) in file order,
// and the whole catalogue minus the history is ranked for them by the ranker with the user source
// alone (weights user = 1, every other 0; ties by popularity, so a user without history, or a
// bundle without item factors, gets popularity). Targets the model does not know are misses.
// HR@k = share of targets in the top k; NDCG@k = mean of 1 / log2(rank + 1) (0 beyond k).
// `npm run eval -- --protocol next-for-user` runs the same requests through the SDK.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "shelfwise/model.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::evaluation {

struct NextForUserMetrics {
  std::size_t k = 10;
  std::uint64_t users = 0;               // n: evaluated users (= targets)
  std::uint64_t users_without_history = 0;
  double hit_rate = 0.0;
  double ndcg = 0.0;
  double ms_per_user = 0.0;  // fold-in + ranking, wall time of one thread per user
};

struct NextForUserOptions {
  std::size_t k = 10;
  unsigned threads = 1;
};

// Sums run in user order whatever the thread count, so figures are identical across runs.
Result<NextForUserMetrics> evaluate_next_for_user(const std::shared_ptr<const Model>& model,
                                                  const training::InteractionLog& history,
                                                  const training::InteractionLog& events, const NextForUserOptions& options,
                                                  const std::function<void(double)>& progress = {});

}  // namespace shelfwise::evaluation
