// Training and evaluation examples for segments and propensity, built from interaction logs with
// the core's own feature code (core/include/shelfwise/behaviour_features.hpp), so the server sees
// each shopper exactly as the device would at the same moment.
//
// A shopper's timeline: every event of one user_id across the logs given (the history logs, then
// the target log), in time order; a session without a user_id is a timeline of its own. Only the
// target log's sessions yield examples; history logs give them context (earlier events) and
// outcomes (later events: whether a user came back).
//   snapshots  one per visit end (visits split by the window's gap, as on the device), for k-means
//   purchase   one per prefix of a target session up to (not including) its first purchase, taken
//              at the prefix's last event; label: the session has a purchase later
//   returning  one per visit end of a known user (timestamps needed); label: the user's next event
//              comes within `return_horizon_days`. Visits closer than the horizon to the end of
//              all the data given are left out (censored: their outcome is unknown).
// Device is unknown in logs (they have no such column); the local hour is the event's UTC hour
// shifted by `utc_offset_hours`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "shelfwise/behaviour_features.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::training {

struct BehaviourExampleOptions {
  double return_horizon_days = 7.0;
  double utc_offset_hours = 0.0;
  // Caps the purchase prefixes taken from one session (the latest ones are kept).
  std::size_t max_prefixes_per_session = 40;
};

// Row-major examples: features.size() == rows() * feature_count.
struct BehaviourExampleSet {
  std::size_t feature_count = 0;
  std::vector<float> features;
  std::vector<float> labels;   // 0 or 1 (empty for snapshots)
  std::vector<double> times;   // when each example is taken (unix seconds), for time splits
  std::size_t rows() const { return times.size(); }
  const float* row(std::size_t index) const { return features.data() + index * feature_count; }
};

struct BehaviourExamples {
  BehaviourExampleSet snapshots;
  BehaviourExampleSet purchase;
  BehaviourExampleSet returning;
  bool has_purchases = false;   // any purchase event in the target log
  bool has_users = false;       // any user_id in the target log
};

// `model_index(log, log_item)` maps an item of a log to the model's vocabulary (kNoItem: unknown).
using ItemMapper = std::function<std::uint32_t(const InteractionLog& log, std::uint32_t log_item)>;

// `history` may be empty. Fails only on feature errors (a bug: events are sorted here).
Result<BehaviourExamples> build_behaviour_examples(const BehaviourFeatures& features, const InteractionLog& target,
                                                   const std::vector<const InteractionLog*>& history,
                                                   const ItemMapper& model_index, const BehaviourExampleOptions& options);

// The local hour of a unix time shifted by `utc_offset_hours`, in [0, 24).
double local_hour_of(double unix_seconds, double utc_offset_hours);

}  // namespace shelfwise::training
