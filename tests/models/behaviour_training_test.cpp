// k-means, logistic regression, isotonic calibration and binary metrics on tiny data with known
// answers; then segments and propensity trained end to end on a small synthetic shop, and the
// bundle's strict validation of what they add.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "evaluation/binary_metrics.hpp"
#include "evaluation/propensity_evaluation.hpp"
#include "shelfwise/behaviour_scorer.hpp"
#include "test_support.hpp"
#include "training/behaviour_trainer.hpp"
#include "training/kmeans_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"
#include "training/propensity_trainer.hpp"
#include "training/synthetic_shop.hpp"


using shelfwise::ErrorCode;
namespace training = shelfwise::training;

TEST_CASE("k-means finds three separated blobs whatever the restart") {
  Eigen::MatrixXf points(30, 2);
  const float centres[3][2] = {{0, 0}, {10, 0}, {0, 10}};
  for (int index = 0; index < 30; ++index) {
    const int blob = index % 3;
    points(index, 0) = centres[blob][0] + 0.1f * static_cast<float>(index % 5);
    points(index, 1) = centres[blob][1] - 0.1f * static_cast<float>(index % 4);
  }
  training::KMeansOptions options;
  options.k = 3;
  options.restarts = 4;
  auto result = training::train_kmeans(points, options);
  REQUIRE(result.ok());
  const auto& fit = result.value();
  CHECK(fit.sizes == std::vector<std::size_t>{10, 10, 10});
  for (int index = 3; index < 30; ++index) CHECK(fit.assignment[index] == fit.assignment[index % 3]);
  std::set<std::uint32_t> distinct(fit.assignment.begin(), fit.assignment.end());
  CHECK(distinct.size() == 3);
  CHECK(fit.inertia < 30 * 0.5);
  CHECK(fit.restart_inertias.size() == 4);
  options.k = 31;
  CHECK(training::train_kmeans(points, options).status().code() == ErrorCode::invalid_argument);
  options.k = 0;
  CHECK(training::train_kmeans(points, options).status().code() == ErrorCode::invalid_argument);
}

TEST_CASE("standardiser: mean and 1/sd over known values; constant columns are switched off") {
  const std::vector<float> rows = {1, 5, NAN, 3, 5, 2, NAN, 5, 4};
  const auto standardiser = training::fit_standardiser(rows, 3);
  CHECK(standardiser.mean[0] == Approx(2.0));
  CHECK(standardiser.scale[0] == Approx(1.0));
  CHECK(standardiser.scale[1] == 0.0f);
  CHECK(standardiser.mean[2] == Approx(3.0));
}

TEST_CASE("logistic regression on a tiny set: the informative feature wins, probabilities follow it") {
  // Feature 0 decides the label 80% of the time; feature 1 is balanced noise (its weight is 0).
  Eigen::MatrixXf x(20, 2);
  std::vector<float> labels(20);
  int row = 0;
  for (const float high : {1.0f, -1.0f}) {
    for (const float noise : {-1.0f, 1.0f}) {
      for (int repeat = 0; repeat < 5; ++repeat, ++row) {
        x(row, 0) = high;
        x(row, 1) = noise;
        labels[row] = (high > 0 ? repeat < 4 : repeat < 1) ? 1.0f : 0.0f;
      }
    }
  }
  training::LogisticOptions options;
  options.l2 = 0.01;
  auto weights = training::fit_logistic(x, labels, options);
  REQUIRE(weights.ok());
  CHECK(weights.value()[0] > 1.0f);
  CHECK(std::abs(weights.value()[1]) < 1e-4f);
  const shelfwise::CalibratedLogistic model(weights.value(), {});
  const float high[] = {1.0f, 0.0f}, low[] = {-1.0f, 0.0f};
  CHECK(model.raw_probability(high) == Approx(0.8).margin(0.05));
  CHECK(model.raw_probability(low) == Approx(0.2).margin(0.05));
  CHECK(training::fit_logistic(x, {1.0f}, options).status().code() == ErrorCode::invalid_argument);
  std::vector<float> bad(20, 0.5f);
  CHECK(training::fit_logistic(x, bad, options).status().code() == ErrorCode::invalid_argument);
}

TEST_CASE("logistic regression stays finite on separable data") {
  Eigen::MatrixXf x(10, 1);
  std::vector<float> labels(10);
  for (int index = 0; index < 10; ++index) {
    x(index, 0) = static_cast<float>(index) - 4.5f;
    labels[index] = index >= 5 ? 1.0f : 0.0f;
  }
  auto weights = training::fit_logistic(x, labels);
  REQUIRE(weights.ok());
  CHECK(std::isfinite(weights.value()[0]));
  CHECK(weights.value()[0] > 0.5f);
  CHECK(weights.value()[0] < 20.0f);  // the L2 penalty bounds it
}

TEST_CASE("isotonic calibration pools violators into a monotone map") {
  const std::vector<double> scores = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  const std::vector<float> labels = {0, 1, 0, 0, 1, 1};
  const auto knots = training::fit_isotonic(scores, labels);
  // Blocks: {0.1}:0, {0.2, 0.3, 0.4}: 1/3, {0.5, 0.6}: 1.
  REQUIRE(knots.size() == 6);
  CHECK(knots[0] == Approx(0.1));
  CHECK(knots[1] == 0.0f);
  CHECK(knots[2] == Approx(0.3));
  CHECK(knots[3] == Approx(1.0 / 3.0));
  CHECK(knots[4] == Approx(0.55));
  CHECK(knots[5] == 1.0f);
  CHECK(training::fit_isotonic({0.5, 0.5}, {0, 1}).empty());  // one block: identity
}

TEST_CASE("binary metrics by hand: AUC with ties, Brier, ECE and the bins") {
  const auto metrics = shelfwise::evaluation::score_binary({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}, 10);
  CHECK(metrics.auc == Approx(0.75));
  CHECK(metrics.brier == Approx((0.01 + 0.16 + 0.4225 + 0.04) / 4));
  CHECK(metrics.ece == Approx((0.1 + 0.4 + 0.65 + 0.2) / 4));  // one example per bin
  CHECK(metrics.bins[3].count == 1);
  CHECK(metrics.bins[3].observed_rate == 1.0);
  const auto ties = shelfwise::evaluation::score_binary({0.5, 0.5}, {0, 1}, 10);
  CHECK(ties.auc == Approx(0.5));
  CHECK(shelfwise::evaluation::score_binary({0.2}, {1}).auc == 0.5);  // one class only
}

namespace {

struct TrainedShop {
  training::SyntheticShopFiles files;
  training::InteractionLog train;
  training::ModelBundleParts parts;
  training::BehaviourParts behaviour;
  std::vector<std::uint8_t> bytes;
};

const TrainedShop& trained_shop() {
  static const TrainedShop shop = [] {
    TrainedShop result;
    training::SyntheticShopOptions options;
    options.item_count = 300;
    options.user_count = 300;
    options.train_session_count = 3000;
    options.valid_session_count = 600;
    options.test_session_count = 600;
    options.days = 30;
    result.files = training::generate_synthetic_shop(options);
    result.train = shelfwise::testing::parse_log(result.files.train_csv);
    auto base = shelfwise::testing::load_model(
        shelfwise::testing::train_bundle_with_catalog(result.files.train_csv, result.files.catalog_csv));
    training::BehaviourTrainingOptions behaviour;
    behaviour.segments = 4;
    behaviour.propensity = true;
    auto trained = training::train_behaviour(*base, result.train, behaviour, [](const std::string&) {});
    if (!trained.ok()) throw std::runtime_error(trained.status().to_string());
    result.behaviour = trained.value();
    return result;
  }();
  return shop;
}

// The trained bundle rebuilt with `edit` applied to its behaviour parts.
shelfwise::Result<std::shared_ptr<const shelfwise::Model>> rebuilt(
    const std::function<void(training::BehaviourParts&)>& edit) {
  const TrainedShop& shop = trained_shop();
  training::InteractionLog log = shop.train;
  auto base = shelfwise::testing::train_bundle_with_catalog(shop.files.train_csv, shop.files.catalog_csv);
  auto model = shelfwise::testing::load_model(base);
  training::BehaviourParts parts = shop.behaviour;
  edit(parts);
  // Re-assemble: the base bundle's manifest and tensors, plus the edited behaviour.
  training::ModelBundleParts bundle;
  bundle.kind = "pop";
  bundle.version = "behaviour-fixture";
  for (std::uint32_t item = 0; item < model->item_count(); ++item) bundle.item_ids.emplace_back(model->items().id(item));
  bundle.popularity.assign(model->popularity().begin(), model->popularity().end());
  for (std::uint32_t item = 0; item < model->item_count(); ++item) {
    training::CatalogRow row;
    row.item_id = bundle.item_ids[item];
    row.category = std::string(model->catalog()->category_name(item));
    row.price = model->catalog()->price(item);
    row.available = model->catalog()->available(item);
    bundle.catalog.push_back(row);
  }
  bundle.behaviour = &parts;
  const auto bytes = training::build_model_bundle(bundle);
  return shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
}

}  // namespace

TEST_CASE("segments and propensity trained on a synthetic shop load and score") {
  auto loaded = rebuilt([](training::BehaviourParts&) {});
  INFO(loaded.status().to_string());
  REQUIRE(loaded.ok());
  const auto& model = *loaded.value();
  REQUIRE(model.behaviour().segments() != nullptr);
  CHECK(model.behaviour().segments()->segment_count() == 4);
  REQUIRE(model.behaviour().propensity().purchase.has_value());
  REQUIRE(model.behaviour().propensity().returning.has_value());
  std::vector<shelfwise::BehaviourEvent> events = {{0, shelfwise::EventType::view, 1000.0}, {1, shelfwise::EventType::cart, 1060.0}};
  shelfwise::BehaviourContext context;
  context.now = 1100.0;
  shelfwise::BehaviourScores scores;
  REQUIRE(shelfwise::score_behaviour(model, {events.data(), events.size()}, context, &scores).ok());
  CHECK(scores.segment >= 0);
  CHECK(scores.distances.size() == 4);
  CHECK(scores.distances[scores.segment] <= *std::min_element(scores.distances.begin(), scores.distances.end()));
  CHECK(scores.purchase > 0.0);
  CHECK(scores.purchase < 1.0);
  // A cart in the visit makes a purchase more likely than a visit of two views.
  events[1].type = shelfwise::EventType::view;
  shelfwise::BehaviourScores views_only;
  REQUIRE(shelfwise::score_behaviour(model, {events.data(), events.size()}, context, &views_only).ok());
  CHECK(scores.purchase > views_only.purchase);

  // Held-out evaluation: better than chance on the shop's later sessions.
  const auto valid = shelfwise::testing::parse_log(trained_shop().files.valid_csv);
  const auto test = shelfwise::testing::parse_log(trained_shop().files.test_csv);
  auto evaluated = shelfwise::evaluation::evaluate_propensity(model, valid, {&trained_shop().train, &test}, 0.0);
  REQUIRE(evaluated.ok());
  REQUIRE(evaluated.value().purchase.has_value());
  CHECK(evaluated.value().purchase->calibrated.auc > 0.6);
  CHECK(evaluated.value().purchase->calibrated.ece < 0.05);
}

TEST_CASE("the bundle refuses behaviour parts that do not fit") {
  SECTION("feature names that differ from the reader's") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) { parts.manifest["behaviour"]["features"][0] = "category.other"; });
    CHECK(loaded.status().code() == ErrorCode::bad_manifest);
  }
  SECTION("a feature missing") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) { parts.manifest["behaviour"]["features"].erase(0); });
    CHECK(loaded.status().code() == ErrorCode::bad_manifest);
  }
  SECTION("centroids of the wrong shape") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) { parts.manifest["segments"]["k"] = 5; });
    CHECK(loaded.status().code() == ErrorCode::shape_mismatch);
  }
  SECTION("segments without their tensor") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) {
      parts.tensors.erase(std::remove_if(parts.tensors.begin(), parts.tensors.end(),
                                         [](const auto& tensor) { return tensor.name == "segments.centroids"; }),
                          parts.tensors.end());
    });
    CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  }
  SECTION("segments without the behaviour definition") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) { parts.manifest.erase("behaviour"); });
    CHECK(loaded.status().code() == ErrorCode::bad_manifest);
  }
  SECTION("calibration knots out of order") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) {
      for (auto& tensor : parts.tensors) {
        if (tensor.name == "propensity.purchase.calibration") std::swap(tensor.values[0], tensor.values[2]);
      }
    });
    CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  }
  SECTION("an unknown propensity target") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) { parts.manifest["propensity"]["churn"] = nlohmann::json::object(); });
    CHECK(loaded.status().code() == ErrorCode::bad_manifest);
  }
  SECTION("a negative scale") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) { parts.tensors[1].values[0] = -1.0f; });
    CHECK(loaded.status().code() == ErrorCode::bad_tensor);
  }
  SECTION("a window out of range") {
    auto loaded = rebuilt([](training::BehaviourParts& parts) { parts.manifest["behaviour"]["history_days"] = 0; });
    CHECK(loaded.status().code() == ErrorCode::bad_manifest);
  }
}
