// Time-decayed popularity: the cold-start fallback every bundle carries.
#pragma once

#include <cstdint>
#include <vector>

#include "training/interaction_log.hpp"

namespace shelfwise::training {

struct PopularityOptions {
  // With timestamps: an event's weight halves every half_life_days before the log's last event.
  double half_life_days = 14.0;
  // Without timestamps the order of sessions (by first appearance in the file) is the clock, and
  // the half-life is this share of the events.
  double half_life_share_of_log = 0.25;
  // Stronger signals count more than a view.
  float view_weight = 1.0f;
  float cart_weight = 3.0f;
  float purchase_weight = 5.0f;
};

// One score per item index (log items first, then `item_count - log items` unseen ones at 0),
// scaled so the most popular item scores 1.
std::vector<float> train_popularity(const InteractionLog& log, std::size_t item_count, const PopularityOptions& options);

// Indices of the `count` most popular items, by decreasing score then index.
std::vector<std::uint32_t> popular_head(const std::vector<float>& popularity, std::size_t count);

}  // namespace shelfwise::training
