// Two recommendation lists that must agree entry for entry: item, score (bit for bit), source and
// the item that explains it. For tests that compute the same answer two ways.
#pragma once

#include <catch2/catch.hpp>

#include <vector>

#include "shelfwise/recommender.hpp"

namespace shelfwise::testing {

inline void require_same_recommendations(const std::vector<Recommendation>& left, const std::vector<Recommendation>& right) {
  REQUIRE(left.size() == right.size());
  for (std::size_t rank = 0; rank < left.size(); ++rank) {
    INFO("rank " << rank);
    CHECK(left[rank].item == right[rank].item);
    CHECK(left[rank].score == right[rank].score);
    CHECK(left[rank].source == right[rank].source);
    CHECK(left[rank].because == right[rank].because);
  }
}

}  // namespace shelfwise::testing
