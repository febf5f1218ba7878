// keep_top_k: partial selection with a total, deterministic order (score descending, then item
// index ascending), so native and wasm builds rank ties identically.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "shelfwise/top_k.hpp"

namespace {

using shelfwise::keep_top_k;
using shelfwise::ranks_before;
using shelfwise::ScoredItem;

std::vector<std::uint32_t> items_of(const std::vector<ScoredItem>& candidates) {
  std::vector<std::uint32_t> items;
  for (const auto& candidate : candidates) items.push_back(candidate.item);
  return items;
}

}  // namespace

TEST_CASE("ranks_before orders by score descending, then by item index ascending", "[top_k]") {
  CHECK(ranks_before({7, 2.0f}, {1, 1.0f}));
  CHECK_FALSE(ranks_before({1, 1.0f}, {7, 2.0f}));
  CHECK(ranks_before({1, 1.0f}, {7, 1.0f}));
  CHECK_FALSE(ranks_before({7, 1.0f}, {1, 1.0f}));
  CHECK_FALSE(ranks_before({3, 1.0f}, {3, 1.0f}));  // irreflexive: a strict weak order
}

TEST_CASE("keep_top_k keeps the best k in order and drops the rest", "[top_k]") {
  std::vector<ScoredItem> candidates{{0, 0.1f}, {1, 0.9f}, {2, 0.5f}, {3, 0.7f}, {4, 0.3f}};
  keep_top_k(candidates, 3);
  CHECK(items_of(candidates) == std::vector<std::uint32_t>{1, 3, 2});
  CHECK(candidates[0].score == 0.9f);
}

TEST_CASE("keep_top_k with k at least the size sorts everything", "[top_k]") {
  std::vector<ScoredItem> candidates{{4, 0.2f}, {9, 0.8f}, {2, 0.2f}};
  keep_top_k(candidates, 3);
  CHECK(items_of(candidates) == std::vector<std::uint32_t>{9, 2, 4});
  std::vector<ScoredItem> more{{4, 0.2f}, {9, 0.8f}, {2, 0.2f}};
  keep_top_k(more, 100);
  CHECK(items_of(more) == std::vector<std::uint32_t>{9, 2, 4});
}

TEST_CASE("keep_top_k breaks ties by index, including at the cut", "[top_k]") {
  std::vector<ScoredItem> candidates{{8, 1.0f}, {3, 1.0f}, {5, 1.0f}, {1, 1.0f}, {6, 2.0f}};
  keep_top_k(candidates, 3);
  CHECK(items_of(candidates) == std::vector<std::uint32_t>{6, 1, 3});
}

TEST_CASE("keep_top_k with k zero or no candidates leaves nothing", "[top_k]") {
  std::vector<ScoredItem> candidates{{1, 1.0f}, {2, 2.0f}};
  keep_top_k(candidates, 0);
  CHECK(candidates.empty());
  std::vector<ScoredItem> none;
  keep_top_k(none, 5);
  CHECK(none.empty());
}

TEST_CASE("keep_top_k agrees with a full sort on random inputs with many ties", "[top_k]") {
  std::mt19937 random(99);
  for (int round = 0; round < 200; ++round) {
    const std::size_t size = random() % 60;
    std::vector<ScoredItem> candidates;
    std::vector<std::uint32_t> indices(size);
    for (std::size_t index = 0; index < size; ++index) indices[index] = static_cast<std::uint32_t>(index * 3);
    std::shuffle(indices.begin(), indices.end(), random);
    for (const std::uint32_t item : indices) candidates.push_back({item, static_cast<float>(random() % 5) * 0.25f});
    std::vector<ScoredItem> reference = candidates;
    std::sort(reference.begin(), reference.end(), ranks_before);
    const std::size_t k = random() % 70;
    reference.resize(std::min(k, reference.size()));
    keep_top_k(candidates, k);
    INFO("round " << round << " size " << size << " k " << k);
    REQUIRE(items_of(candidates) == items_of(reference));
  }
}
