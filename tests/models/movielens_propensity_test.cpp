// Return propensity on real data: MovieLens 100K (users and timestamps; no purchases, so no
// purchase model), split in time inside its train.csv: the model learns on the events before
// 1998-02-09 and is evaluated on the visits after, with the earlier events as history.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "evaluation/propensity_evaluation.hpp"
#include "test_support.hpp"
#include "training/behaviour_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace training = shelfwise::training;

TEST_CASE("MovieLens: return propensity beats chance and is calibrated on the later visits") {
  const std::string path = shelfwise::testing::shared_data_file("movielens-100k/train.csv");
  if (path.empty()) return;
  std::ifstream file(path);
  std::string header, line, early = "", late = "";
  std::getline(file, header);
  early = late = header + "\n";
  constexpr long long kSplit = 886984965;  // 70% of the events before it
  while (std::getline(file, line)) {
    const std::size_t third = line.find(',', line.find(',', line.find(',') + 1) + 1);
    const long long time = std::stoll(line.substr(third + 1));
    (time < kSplit ? early : late) += line + "\n";
  }
  const training::InteractionLog history = shelfwise::testing::parse_log(early);
  const training::InteractionLog target = shelfwise::testing::parse_log(late);
  training::ModelBundleParts parts;
  parts.kind = "pop";
  parts.version = "movielens-return";
  parts.item_ids = history.item_ids;
  parts.popularity = training::train_popularity(history, history.item_ids.size(), {});
  const auto base = shelfwise::testing::load_model(training::build_model_bundle(parts));
  training::BehaviourTrainingOptions options;
  options.segments = 4;
  options.propensity = true;
  auto behaviour = training::train_behaviour(*base, history, options, [](const std::string&) {});
  REQUIRE(behaviour.ok());
  parts.behaviour = &behaviour.value();
  const auto model = shelfwise::testing::load_model(training::build_model_bundle(parts));
  CHECK_FALSE(model->behaviour().propensity().purchase.has_value());
  REQUIRE(model->behaviour().propensity().returning.has_value());
  auto evaluated = shelfwise::evaluation::evaluate_propensity(*model, target, {&history}, 0.0);
  REQUIRE(evaluated.ok());
  REQUIRE(evaluated.value().returning.has_value());
  const auto& metrics = evaluated.value().returning->calibrated;
  WARN("movielens return@7d: n " << metrics.n << ", base rate " << metrics.base_rate << ", AUC " << metrics.auc
                                 << ", ECE " << metrics.ece << ", Brier " << metrics.brier);
  CHECK(metrics.n > 500);
  CHECK(metrics.auc > 0.65);
  CHECK(metrics.ece < 0.06);
}
