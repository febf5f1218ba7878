// Quality floor on real data: item-kNN trained on Diginetica (the SR-GNN split) must beat the
// sequential-rules reference of ../shared/data/README.md (HR@20 0.3924, MRR@20 0.1402) on the
// validation split. Skipped with a notice when the data folder is absent. Takes a few seconds.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "evaluation/next_item_evaluation.hpp"
#include "test_support.hpp"
#include "training/item_knn_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace {

shelfwise::training::InteractionLog read_log(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  REQUIRE(stream.good());
  std::ostringstream contents;
  contents << stream.rdbuf();
  auto log = shelfwise::training::parse_interaction_log(contents.str(), path);
  INFO(log.status().to_string());
  REQUIRE(log.ok());
  return std::move(log).value();
}

}  // namespace

TEST_CASE("Item-kNN on Diginetica beats the sequential-rules reference", "[real-data]") {
  const std::string train_path = shelfwise::testing::shared_data_file("diginetica/train_tr.csv");
  const std::string valid_path = shelfwise::testing::shared_data_file("diginetica/valid.csv");
  if (train_path.empty() || valid_path.empty()) {
    SUCCEED("NOTICE: ../shared/data/diginetica is absent; the real-data quality check did not run");
    return;
  }
  const auto train = read_log(train_path);
  const auto valid = read_log(valid_path);
  REQUIRE(train.item_ids.size() > 40000);

  shelfwise::training::ModelBundleParts parts;
  parts.kind = "itemknn";
  parts.version = "diginetica-quality-test";
  parts.item_ids = train.item_ids;
  parts.popularity = shelfwise::training::train_popularity(train, train.item_ids.size(), {});
  const auto tables = shelfwise::training::train_item_knn(train, train.item_ids.size(), {});
  parts.item_knn = &tables;
  parts.inference.recency_decay = 0.7;
  parts.inference.related_weight = 0.05;
  const auto model = shelfwise::testing::load_model(shelfwise::training::build_model_bundle(parts));

  auto metrics = shelfwise::evaluation::evaluate_next_item(model, valid, {20, 2});
  REQUIRE(metrics.ok());
  const auto& result = metrics.value();
  INFO("recall@20 " << result.recall << ", mrr@20 " << result.mrr << " over " << result.predictions << " predictions");
  CHECK(result.predictions > 50000);
  REQUIRE(result.recall >= 0.392);
  REQUIRE(result.mrr >= 0.140);
  WARN("diginetica valid: recall@20 " << result.recall << ", mrr@20 " << result.mrr);
}
