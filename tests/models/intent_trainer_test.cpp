// Session intent: the features, the heads' forward pass against a direct computation, the
// purchase override, bundle validation, and fitting on the synthetic shop beating the baselines.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "shelfwise/intent.hpp"
#include "test_support.hpp"
#include "training/catalog_table.hpp"
#include "training/intent_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"
#include "training/synthetic_shop.hpp"

namespace {

using namespace shelfwise;

struct Shop {
  training::InteractionLog train;
  training::InteractionLog valid;
  training::ModelBundleParts parts;
};

// A popularity bundle over the shop's events with its catalogue aligned to the vocabulary.
Shop small_shop() {
  training::SyntheticShopOptions options;
  options.seed = 5;
  options.item_count = 400;
  options.train_session_count = 6000;
  options.valid_session_count = 1500;
  options.test_session_count = 0;
  const auto files = training::generate_synthetic_shop(options);
  Shop shop;
  shop.train = testing::parse_log(files.train_csv);
  shop.valid = testing::parse_log(files.valid_csv);
  auto rows = training::parse_catalog(files.catalog_csv, "catalog.csv");
  REQUIRE(rows.ok());
  for (auto& row : rows.value()) {
    if (shop.train.item_index.emplace(row.item_id, static_cast<std::uint32_t>(shop.train.item_ids.size())).second) {
      shop.train.item_ids.push_back(row.item_id);
    }
  }
  shop.parts.catalog.resize(shop.train.item_ids.size());
  for (auto& row : rows.value()) shop.parts.catalog[shop.train.item_index.at(row.item_id)] = row;
  shop.parts.kind = "pop";
  shop.parts.version = "intent-test";
  shop.parts.item_ids = shop.train.item_ids;
  shop.parts.popularity = training::train_popularity(shop.train, shop.train.item_ids.size(), {});
  return shop;
}

std::shared_ptr<const Model> load(const training::ModelBundleParts& parts) {
  return testing::load_model(training::build_model_bundle(parts));
}

}  // namespace

TEST_CASE("session features are what their definitions say", "[intent]") {
  const std::string csv =
      "session_id,user_id,item_id,timestamp,event\n"
      "s,,a,100,view\ns,,b,110,view\ns,,a,140,cart\ns,,c,150,view\n";
  const auto log = testing::parse_log(csv);
  training::ModelBundleParts parts;
  parts.kind = "pop";
  parts.version = "features";
  parts.item_ids = log.item_ids;
  parts.popularity = training::train_popularity(log, log.item_ids.size(), {});
  parts.catalog = {{"a", "shoes", 20.0f, "A", true}, {"b", "shoes", -1.0f, "B", true}, {"c", "hats", 9.0f, "C", true}};
  auto model = load(parts);
  SessionFeatureExtractor extractor(*model);
  const std::vector<SessionEvent> events = {{0, EventType::view, 100}, {1, EventType::view, 110}, {0, EventType::cart, 140}};
  const SessionFeatures features = extractor.compute({events.data(), events.size()});
  CHECK(features[0] == Approx(std::log(4.0)));
  CHECK(features[1] == Approx(2.0 / 3.0));
  CHECK(features[2] == Approx(1.0 / 3.0));
  CHECK(features[3] == 1.0f);
  CHECK(features[4] == 1.0f);
  CHECK(features[5] == 1.0f);  // a again
  CHECK(features[6] == 1.0f);
  CHECK(features[7] == Approx(std::log1p(20.0)));
  CHECK(features[8] == Approx(std::log1p(30.0)));
  CHECK(features[9] == Approx(0.5));  // one category over two distinct items
  CHECK(features[10] == Approx(1.0));
  CHECK(features[11] == model->popularity()[0]);
  CHECK(features[12] == Approx(std::log1p(20.0)));
  const ArrayView<float> rows = extractor.category_features({events.data(), events.size()});
  REQUIRE(rows.size() == 2 * SessionFeatureExtractor::kCategoryFeatureCount);
  const std::uint32_t shoes = model->catalog()->category_index(0);
  CHECK(rows[shoes * 3] == Approx(1.0));  // every event is a shoe
  CHECK(rows[shoes * 3 + 1] == 1.0f);
  CHECK(rows[(1 - shoes) * 3] == 0.0f);
}

TEST_CASE("intent heads fitted on the synthetic shop beat the baselines on held-out visits", "[intent]") {
  Shop shop = small_shop();
  auto base = load(shop.parts);
  auto weights = training::fit_intent(*base, shop.train);
  REQUIRE(weights.ok());
  REQUIRE(weights.value().category.size() == 3);
  shop.parts.intent = &weights.value();
  auto model = load(shop.parts);
  REQUIRE(model->intent_heads() != nullptr);
  auto metrics = training::evaluate_intent(*model, shop.valid);
  REQUIRE(metrics.ok());
  const auto& m = metrics.value();
  INFO(m.to_json().dump());
  CHECK(m.examples > 3000);
  CHECK(m.purchase_auc > 0.7);
  CHECK(m.purchase_calibration_error < 0.03);
  CHECK(m.purchase_brier < m.purchase_rate * (1.0 - m.purchase_rate));  // better than the base rate
  CHECK(m.stage_accuracy > m.stage_majority_accuracy + 0.1);
  CHECK(m.category_accuracy > m.category_majority_accuracy + 0.3);

  // The forward pass is the heads' formula, and a purchase settles the question.
  IntentScorer scorer(*model, *model->intent_heads());
  SessionFeatureExtractor extractor(*model);
  const std::vector<SessionEvent> events = {{3, EventType::view, 1000}, {7, EventType::view, 1030}, {7, EventType::cart, 1100}};
  const Intent intent = scorer.compute({events.data(), events.size()});
  const SessionFeatures raw = extractor.compute({events.data(), events.size()});
  const IntentHeads& heads = *model->intent_heads();
  double logit = heads.purchase()[kSessionFeatureCount];
  for (std::size_t feature = 0; feature < kSessionFeatureCount; ++feature) {
    logit += heads.purchase()[feature] * (raw[feature] - heads.feature_mean()[feature]) * heads.feature_scale()[feature];
  }
  CHECK(intent.purchase_probability == Approx(1.0 / (1.0 + std::exp(-logit))).epsilon(1e-5));
  CHECK(intent.stage_probabilities[0] + intent.stage_probabilities[1] + intent.stage_probabilities[2] == Approx(1.0));
  CHECK(intent.category == model->catalog()->category_index(7));
  const std::vector<SessionEvent> viewing = {{3, EventType::view, 1000}, {7, EventType::view, 1030}};
  CHECK(scorer.compute({viewing.data(), viewing.size()}).purchase_probability < intent.purchase_probability);
  std::vector<SessionEvent> bought = events;
  bought.push_back({7, EventType::purchase, 1200});
  const Intent after = scorer.compute({bought.data(), bought.size()});
  CHECK(after.purchase_probability == 1.0f);
  CHECK(after.stage == ShoppingStage::about_to_buy);
}

TEST_CASE("intent needs purchases to learn from and well-shaped heads to load", "[intent]") {
  const auto log = testing::parse_log("session_id,user_id,item_id,timestamp,event\ns,,a,,\ns,,b,,\nt,,b,,\nt,,a,,\n");
  training::ModelBundleParts parts;
  parts.kind = "pop";
  parts.version = "no-purchases";
  parts.item_ids = log.item_ids;
  parts.popularity = training::train_popularity(log, log.item_ids.size(), {});
  auto model = load(parts);
  auto fitted = training::fit_intent(*model, log);
  REQUIRE(!fitted.ok());
  CHECK(fitted.status().code() == ErrorCode::invalid_argument);
  auto evaluated = training::evaluate_intent(*model, log);
  REQUIRE(!evaluated.ok());
  CHECK(evaluated.status().code() == ErrorCode::invalid_argument);

  training::IntentWeights short_heads;
  short_heads.feature_mean.assign(kSessionFeatureCount, 0.0f);
  short_heads.feature_scale.assign(kSessionFeatureCount, 1.0f);
  short_heads.purchase.assign(kSessionFeatureCount, 0.0f);  // one short: the bias is missing
  short_heads.stage.assign(3 * (kSessionFeatureCount + 1), 0.0f);
  parts.intent = &short_heads;
  const auto bytes = training::build_model_bundle(parts);
  auto loaded = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::shape_mismatch);
  CHECK(loaded.status().message().find("intent.purchase") != std::string::npos);
}
