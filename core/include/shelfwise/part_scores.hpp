// The item scores one part of a blended model gives in one request, kept apart from the final
// scores so that the part can be scaled to a maximum of 1 before it is mixed in (item-kNN and
// session-kNN scores live on unrelated scales). Sized once for the model; a request allocates
// nothing. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/scratch_array.hpp"

namespace shelfwise {

class PartScores {
 public:
  explicit PartScores(std::size_t item_count);

  // Forgets the previous request's scores in O(items touched).
  void clear();
  // Adds to the item's score; `tag` and `because` follow the largest single contribution.
  void add(std::uint32_t item, float contribution, std::uint8_t tag, std::uint32_t because);

  ArrayView<std::uint32_t> touched() const { return {touched_.data(), touched_.size()}; }
  float score(std::uint32_t item) const { return scores_[item]; }
  std::uint8_t tag(std::uint32_t item) const { return tags_[item]; }
  std::uint32_t because(std::uint32_t item) const { return because_[item]; }
  // 0 when nothing was touched.
  float max_score() const;

 private:
  // An entry holds this request's values only while the item is touched (is_touched_).
  ScratchArray<float> scores_;
  ScratchArray<float> best_contribution_;
  ScratchArray<std::uint8_t> tags_;
  ScratchArray<std::uint32_t> because_;
  std::vector<std::uint8_t> is_touched_;
  std::vector<std::uint32_t> touched_;
};

}  // namespace shelfwise
