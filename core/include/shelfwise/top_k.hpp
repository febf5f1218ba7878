// Partial selection of the best k candidates. Order is total and deterministic (score descending,
// then item index ascending), so the native and wasm builds rank ties identically.
#pragma once

#include <cstdint>
#include <vector>

namespace shelfwise {

struct ScoredItem {
  std::uint32_t item;
  float score;
};

inline bool ranks_before(const ScoredItem& left, const ScoredItem& right) {
  return left.score > right.score || (left.score == right.score && left.item < right.item);
}

// Leaves the best min(k, size) candidates in order at the front and drops the rest.
void keep_top_k(std::vector<ScoredItem>& candidates, std::size_t k);

}  // namespace shelfwise
