// ALS (als_trainer.hpp): the objective never increases, the preference matrix merges repeated
// events with their weights, and on data with planted tastes the device's fold-in with the
// trained item factors beats popularity by far.
#include <catch2/catch.hpp>

#include "evaluation/next_for_user_evaluation.hpp"
#include "test_support.hpp"
#include "training/als_trainer.hpp"
#include "training/factor_quantisation.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"
#include "training/seeded_random.hpp"

namespace shelfwise {
namespace {

// Users each like one of `groups` disjoint item groups; popularity is flat across groups.
std::string planted_log(int users, int groups, int items_per_group, int events_per_user, std::uint64_t seed) {
  training::SeededRandom random(seed);
  std::string csv = "session_id,user_id,item_id,timestamp,event\n";
  for (int user = 0; user < users; ++user) {
    const int group = user % groups;
    for (int event = 0; event < events_per_user; ++event) {
      const int item = group * items_per_group + static_cast<int>(random.below(static_cast<std::uint64_t>(items_per_group)));
      const bool noise = random.below(10) == 0;
      const int shown = noise ? static_cast<int>(random.below(static_cast<std::uint64_t>(groups * items_per_group))) : item;
      csv += "s" + std::to_string(user) + ",u" + std::to_string(user) + ",i" + std::to_string(shown) + ",,view\n";
    }
  }
  return csv;
}

TEST_CASE("the preference matrix merges repeats and weighs event types", "[als]") {
  const training::InteractionLog log = testing::parse_log(
      "session_id,user_id,item_id,timestamp,event\n"
      "1,alice,A,,view\n1,alice,A,,cart\n2,alice,B,,purchase\n3,,A,,view\n3,,C,,cart\n");
  const training::PreferenceMatrix matrix = training::build_preference_matrix(log, log.item_ids.size(), {1.0, 2.0, 0.0});
  REQUIRE(matrix.user_count == 2);  // alice (two sessions) and the anonymous session 3
  CHECK(matrix.user_keys == std::vector<std::string>{"alice", "session:3"});
  REQUIRE(matrix.entries() == 3);  // alice: A (1 + 2); purchases weigh 0 here; session 3: A, C
  CHECK(matrix.by_user[0].index == 0);
  CHECK(matrix.by_user[0].weight == 3.0f);
  CHECK(matrix.by_user[2].weight == 2.0f);
  CHECK(matrix.item_offsets[1] - matrix.item_offsets[0] == 2);  // A has two users
}

TEST_CASE("ALS never increases its objective", "[als]") {
  const training::InteractionLog log = testing::parse_log(planted_log(120, 4, 10, 12, 3));
  const training::PreferenceMatrix matrix = training::build_preference_matrix(log, log.item_ids.size(), {1.0, 2.0, 4.0});
  for (const double alpha : {1.0, 10.0}) {
    training::AlsOptions options;
    options.factors = 8;
    options.iterations = 8;
    options.alpha = alpha;
    options.regularisation = 0.5;
    options.threads = 2;
    const training::AlsFactors factors = training::train_als(matrix, options);
    REQUIRE(factors.loss.size() == 8);
    for (std::size_t iteration = 1; iteration < factors.loss.size(); ++iteration) {
      INFO("alpha " << alpha << ", iteration " << iteration + 1);
      CHECK(factors.loss[iteration] <= factors.loss[iteration - 1] * (1.0 + 1e-6));
    }
    CHECK(factors.loss.back() < 0.9 * factors.loss.front());
    CHECK(training::als_loss(matrix, factors, options) == Approx(factors.loss.back()));
    // The threads split rows, never the arithmetic: one thread gives the same factors.
    options.threads = 1;
    CHECK(training::train_als(matrix, options).item_factors == factors.item_factors);
  }
}

TEST_CASE("fold-in with ALS item factors beats popularity on planted tastes", "[als]") {
  const training::InteractionLog train = testing::parse_log(planted_log(400, 8, 25, 10, 5));
  const training::InteractionLog valid = testing::parse_log(planted_log(400, 8, 25, 1, 6));
  training::ModelBundleParts parts;
  parts.kind = "mf";
  parts.version = "mf-test";
  parts.item_ids = train.item_ids;
  parts.popularity = training::train_popularity(train, train.item_ids.size(), {});
  training::AlsOptions options;
  options.factors = 16;
  options.iterations = 6;
  options.regularisation = 1.0;
  options.alpha = 2.0;
  const training::PreferenceMatrix matrix = training::build_preference_matrix(train, train.item_ids.size(), options.event_weights);
  const training::AlsFactors factors = training::train_als(matrix, options);
  auto stored = training::quantise_factors(factors.item_factors, train.item_ids.size(), 16, FactorDType::f32, {});
  REQUIRE(stored.ok());
  parts.item_factors = &stored.value();
  parts.factor_hyperparameters.factors = 16;
  parts.factor_hyperparameters.regularisation = options.regularisation;
  parts.factor_hyperparameters.alpha = options.alpha;
  const auto mf = testing::load_model(training::build_model_bundle(parts));
  parts.kind = "pop";
  parts.item_factors = nullptr;
  const auto pop = testing::load_model(training::build_model_bundle(parts));
  auto mf_metrics = evaluation::evaluate_next_for_user(mf, train, valid, {10, 2});
  auto pop_metrics = evaluation::evaluate_next_for_user(pop, train, valid, {10, 1});
  REQUIRE(mf_metrics.ok());
  REQUIRE(pop_metrics.ok());
  CHECK(mf_metrics.value().users == 400);
  CHECK(mf_metrics.value().users_without_history == 0);
  // A user's group has 25 items, about 8 in their history: a top 10 from it hits often.
  CHECK(mf_metrics.value().hit_rate > 0.3);
  CHECK(mf_metrics.value().hit_rate > 3.0 * pop_metrics.value().hit_rate);
  CHECK(mf_metrics.value().ndcg > 3.0 * pop_metrics.value().ndcg);
}

}  // namespace
}  // namespace shelfwise
