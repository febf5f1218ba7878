#include "shelfwise/top_k.hpp"

#include <algorithm>

namespace shelfwise {

void keep_top_k(std::vector<ScoredItem>& candidates, std::size_t k) {
  if (candidates.size() > k) {
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k), candidates.end(), ranks_before);
    candidates.resize(k);
  }
  std::sort(candidates.begin(), candidates.end(), ranks_before);
}

}  // namespace shelfwise
