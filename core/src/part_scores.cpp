#include "shelfwise/part_scores.hpp"

namespace shelfwise {

PartScores::PartScores(std::size_t item_count)
    : scores_(item_count),
      best_contribution_(item_count),
      tags_(item_count),
      because_(item_count),
      is_touched_(item_count, 0) {
  touched_.reserve(item_count);
}

void PartScores::clear() {
  for (const std::uint32_t item : touched_) is_touched_[item] = 0;
  touched_.clear();
}

void PartScores::add(std::uint32_t item, float contribution, std::uint8_t tag, std::uint32_t because) {
  if (is_touched_[item] == 0) {
    is_touched_[item] = 1;
    touched_.push_back(item);
    scores_[item] = contribution;
    best_contribution_[item] = contribution;
    tags_[item] = tag;
    because_[item] = because;
    return;
  }
  scores_[item] += contribution;
  if (contribution > best_contribution_[item]) {
    best_contribution_[item] = contribution;
    tags_[item] = tag;
    because_[item] = because;
  }
}

float PartScores::max_score() const {
  float best = 0.0f;
  for (const std::uint32_t item : touched_) {
    if (scores_[item] > best) best = scores_[item];
  }
  return best;
}

}  // namespace shelfwise
