// train_co_purchase ("frequently bought together"): pairs of distinct items carted or bought in
// one session, counted once per session, cosine-weighted, views ignored; and the core serving
// them through Recommender::bought_together from a bundle that carries the optional lists.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "shelfwise/recommender.hpp"
#include "test_support.hpp"
#include "training/co_purchase_trainer.hpp"
#include "training/item_knn_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace {

using shelfwise::training::CoPurchaseOptions;
using shelfwise::training::NeighbourLists;
using shelfwise::training::train_co_purchase;

// Sessions: s1 carts A and B (and views C); s2 buys A and B; s3 carts A and C; s4 views B and C only.
const char* const kEvents =
    "session_id,user_id,item_id,timestamp,event\n"
    "s1,,A,,view\ns1,,A,,cart\ns1,,C,,view\ns1,,B,,view\ns1,,B,,cart\ns1,,B,,cart\n"
    "s2,,A,,view\ns2,,B,,view\ns2,,A,,purchase\ns2,,B,,purchase\n"
    "s3,,A,,cart\ns3,,C,,cart\n"
    "s4,,B,,view\ns4,,C,,view\ns4,,D,,view\n";

std::vector<std::pair<std::uint32_t, float>> row(const NeighbourLists& lists, std::uint32_t item) {
  std::vector<std::pair<std::uint32_t, float>> entries;
  for (std::uint32_t entry = lists.offsets[item]; entry < lists.offsets[item + 1]; ++entry) {
    entries.emplace_back(lists.indices[entry], lists.weights[entry]);
  }
  return entries;
}

}  // namespace

TEST_CASE("co-purchase lists count carts and purchases once per session, never views", "[co_purchase]") {
  const auto log = shelfwise::testing::parse_log(kEvents);
  const auto index = [&](const char* id) { return log.item_index.at(id); };
  const NeighbourLists lists = train_co_purchase(log, log.item_ids.size(), {});
  REQUIRE(lists.offsets.size() == log.item_ids.size() + 1);
  // A: in baskets s1, s2, s3 (3); B: s1, s2 (2); C: s3 (1). A-B together in 2 sessions, A-C in 1.
  const auto a = row(lists, index("A"));
  REQUIRE(a.size() == 2);
  CHECK(a[0].first == index("B"));
  CHECK(a[0].second == Approx(2.0 / std::sqrt(3.0 * 2.0)));
  CHECK(a[1].first == index("C"));
  CHECK(a[1].second == Approx(1.0 / std::sqrt(3.0 * 1.0)));
  const auto b = row(lists, index("B"));
  REQUIRE(b.size() == 1);  // B and C were only viewed together
  CHECK(b[0].first == index("A"));
  CHECK(row(lists, index("D")).empty());

  CoPurchaseOptions strict;
  strict.min_sessions = 2;
  const NeighbourLists frequent = train_co_purchase(log, log.item_ids.size(), strict);
  CHECK(row(frequent, index("A")).size() == 1);
  CHECK(row(frequent, index("C")).empty());
  CoPurchaseOptions one;
  one.neighbours = 1;
  CHECK(row(train_co_purchase(log, log.item_ids.size(), one), index("A")).size() == 1);
}

TEST_CASE("a bundle with together lists serves bought_together; one without answers nothing", "[co_purchase]") {
  const auto log = shelfwise::testing::parse_log(kEvents);
  shelfwise::training::ModelBundleParts parts;
  parts.kind = "itemknn";
  parts.version = "together-fixture";
  parts.item_ids = log.item_ids;
  parts.popularity = shelfwise::training::train_popularity(log, log.item_ids.size(), {});
  const auto tables = shelfwise::training::train_item_knn(log, log.item_ids.size(), {});
  parts.item_knn = &tables;
  const NeighbourLists together = train_co_purchase(log, log.item_ids.size(), {});
  parts.together = &together;
  const auto model = shelfwise::testing::load_model(shelfwise::training::build_model_bundle(parts));
  REQUIRE(model->together_neighbours() != nullptr);
  const auto index = [&](const char* id) { return *model->items().find(id); };

  shelfwise::Recommender recommender(model);
  std::vector<shelfwise::Recommendation> results;
  REQUIRE(recommender.bought_together(index("A"), 10, {}, &results).ok());
  REQUIRE(results.size() == 2);  // never topped up with popular items
  CHECK(results[0].item == index("B"));
  CHECK(results[0].source == shelfwise::Source::together);
  CHECK(results[0].because == index("A"));
  const std::vector<std::uint32_t> exclude = {index("B")};
  REQUIRE(recommender.bought_together(index("A"), 10, {exclude.data(), exclude.size()}, &results).ok());
  REQUIRE(results.size() == 1);
  CHECK(results[0].item == index("C"));
  CHECK(recommender.bought_together(99, 3, {}, &results).code() == shelfwise::ErrorCode::unknown_item);
  CHECK(recommender.bought_together(index("A"), 0, {}, &results).code() == shelfwise::ErrorCode::invalid_argument);

  parts.together = nullptr;
  const auto without = shelfwise::testing::load_model(shelfwise::training::build_model_bundle(parts));
  CHECK(without->together_neighbours() == nullptr);
  shelfwise::Recommender plain(without);
  REQUIRE(plain.bought_together(index("A"), 5, {}, &results).ok());
  CHECK(results.empty());
}
