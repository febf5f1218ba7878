// The MMR selector against the definition in diversity.hpp, computed the slow way: every pick
// re-evaluates every remaining candidate against every item shown so far.
#include "shelfwise/diversity.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "test_support.hpp"

namespace {

using shelfwise::Candidate;
using shelfwise::DiversitySelector;
using shelfwise::is_foreign_item;
using shelfwise::kForeignItemBase;
using shelfwise::kNoCategory;
using shelfwise::kSameCategorySimilarity;
using shelfwise::Model;

// A shop of 240 items in 9 categories (every 7th item without one) whose visits stay mostly in
// one category, so the "related" lists are dense inside categories and sparse across them.
std::shared_ptr<const Model> random_shop(std::mt19937& random) {
  constexpr int kItems = 240;
  std::string catalog = "item_id,category,price,title,available\n";
  for (int item = 0; item < kItems; ++item) {
    const std::string category = item % 7 == 0 ? "" : "c" + std::to_string(item % 9);
    catalog += "i" + std::to_string(item) + "," + category + ",10,Item,1\n";
  }
  std::string events = "session_id,user_id,item_id,timestamp,event\n";
  std::uniform_int_distribution<int> any_item(0, kItems - 1);
  std::uniform_int_distribution<int> length(2, 6);
  for (int session = 0; session < 900; ++session) {
    const int anchor = any_item(random);
    for (int event = length(random); event > 0; --event) {
      const int item = random() % 4 == 0 ? any_item(random) : (anchor + 9 * static_cast<int>(random() % 12)) % kItems;
      events += std::to_string(session) + ",,i" + std::to_string(item) + ",,view\n";
    }
  }
  return shelfwise::testing::load_model(shelfwise::testing::train_bundle_with_catalog(events, catalog));
}

float listed_weight(const Model& model, std::uint32_t from, std::uint32_t to) {
  const auto* related = model.related_neighbours();
  const auto neighbours = related->neighbours(from);
  for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
    if (neighbours[entry] == to) return related->weights(from)[entry];
  }
  return 0.0f;
}

float similarity(const Model& model, std::uint32_t a, std::uint32_t b) {
  if (is_foreign_item(a) || is_foreign_item(b)) return 0.0f;
  float value = a == b ? 0.0f : std::max(listed_weight(model, a, b), listed_weight(model, b, a));
  const std::uint32_t category = model.catalog()->category_index(a);
  if (category != kNoCategory && category == model.catalog()->category_index(b)) value = std::max(value, kSameCategorySimilarity);
  return value;
}

std::vector<std::uint32_t> reference_mmr(const Model& model, std::vector<std::uint32_t> order, const std::vector<Candidate>& candidates,
                                         std::size_t count, double lambda, std::vector<std::uint32_t> shown, std::size_t window) {
  const std::size_t size = std::min(order.size(), window);
  count = std::min(count, size);
  float best_score = 0.0f;
  for (std::size_t slot = 0; slot < size; ++slot) best_score = std::max(best_score, candidates[order[slot]].score);
  const float scale = best_score > 0.0f ? 1.0f / best_score : 1.0f;
  std::vector<bool> taken(size, false);
  std::vector<std::uint32_t> result;
  for (std::size_t pick = 0; pick < count; ++pick) {
    std::size_t best_slot = size;
    float best_value = 0.0f;
    for (std::size_t slot = 0; slot < size; ++slot) {
      if (taken[slot]) continue;
      float max_similarity = 0.0f;
      for (const std::uint32_t item : shown) max_similarity = std::max(max_similarity, similarity(model, candidates[order[slot]].item, item));
      const float value = static_cast<float>(lambda) * candidates[order[slot]].score * scale -
                          static_cast<float>(1.0 - lambda) * max_similarity;
      if (best_slot == size || value > best_value) {
        best_slot = slot;
        best_value = value;
      }
    }
    taken[best_slot] = true;
    result.push_back(order[best_slot]);
    shown.push_back(candidates[order[best_slot]].item);
  }
  for (std::size_t slot = 0; slot < size; ++slot) {
    if (!taken[slot]) result.push_back(order[slot]);
  }
  for (std::size_t slot = size; slot < order.size(); ++slot) result.push_back(order[slot]);
  return result;
}

// Random pages (a few foreign items), scores (coarse ones make ties), pins, lambdas and windows:
// the selector's picks against the reference's. Returns how many trials changed the order.
int compare_random_trials(DiversitySelector& selector, const Model& model, std::mt19937& random, int trials) {
  const auto item_count = static_cast<std::uint32_t>(model.item_count());
  std::uniform_real_distribution<float> score(0.0f, 1.0f);
  int differing_from_relevance = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<std::uint32_t> items(item_count);
    for (std::uint32_t item = 0; item < item_count; ++item) items[item] = item;
    std::shuffle(items.begin(), items.end(), random);
    const std::size_t page = 5 + random() % 150;
    const std::size_t pins = random() % 3;
    std::vector<std::uint32_t> shown(items.begin() + page, items.begin() + page + pins);
    items.resize(page);
    for (auto& item : items) {
      if (random() % 10 == 0) item = kForeignItemBase + static_cast<std::uint32_t>(random() % 1000);
    }
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    std::vector<Candidate> candidates(items.size());
    for (std::size_t index = 0; index < items.size(); ++index) {
      candidates[index].item = items[index];
      candidates[index].score = trial % 4 == 0 ? static_cast<float>(random() % 4) : score(random);
    }
    std::vector<std::uint32_t> order(candidates.size());
    for (std::uint32_t index = 0; index < order.size(); ++index) order[index] = index;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return candidates[a].score > candidates[b].score; });
    const std::size_t count = 1 + random() % 40;
    const double lambda = (random() % 11) / 10.0;
    const std::size_t window = 3 + random() % 120;
    const auto expected = reference_mmr(model, order, candidates, count, lambda, shown, window);
    auto actual = order;
    selector.select(actual, candidates, count, lambda, shown, window);
    INFO("trial " << trial << ", " << order.size() << " candidates, count " << count << ", lambda " << lambda << ", window " << window);
    REQUIRE(actual == expected);
    if (actual != order) ++differing_from_relevance;
  }
  return differing_from_relevance;
}

}  // namespace

TEST_CASE("diversity: the MMR picks match the definition, pins and foreign items included", "[diversity]") {
  std::mt19937 random(20261123);
  const auto model = random_shop(random);
  REQUIRE(model->related_neighbours() != nullptr);
  DiversitySelector selector(*model);
  // The trials exercise diversity, not only the relevance order.
  REQUIRE(compare_random_trials(selector, *model, random, 200) > 100);
}

TEST_CASE("diversity: picks stay right after the per-item marks wrap around", "[diversity]") {
  std::mt19937 random(7);
  const auto model = random_shop(random);
  DiversitySelector selector(*model);
  std::vector<Candidate> candidates(2);
  candidates[0].item = 1;
  candidates[1].item = 2;
  candidates[0].score = 1.0f;
  candidates[1].score = 0.5f;
  const std::vector<std::uint32_t> none;
  // A mark holds 19 bits of stamp: 2^19 selections wrap it (the marks are cleared then).
  for (std::uint32_t selection = 0; selection < (1u << 19) + 3; ++selection) {
    std::vector<std::uint32_t> order = {0, 1};
    selector.select(order, candidates, 1, 0.5, none, 2);
  }
  REQUIRE(compare_random_trials(selector, *model, random, 60) > 20);
}
