// Blend models: each part's request scores scaled to a maximum of 1 and mixed by the tuned weight,
// checked against the two parts run as standalone models; and the checks on what may be blended.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "shelfwise/recommender.hpp"
#include "test_support.hpp"
#include "training/blend_bundle.hpp"
#include "training/gru_trainer.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"
#include "training/session_knn_trainer.hpp"

namespace {

using namespace shelfwise;

std::string walk_log(int sessions, int items, std::uint32_t seed) {
  std::string csv = "session_id,user_id,item_id,timestamp,event\n";
  std::uint32_t state = seed;
  auto next = [&state](std::uint32_t bound) {
    state = state * 1664525U + 1013904223U;
    return (state >> 8) % bound;
  };
  for (int session = 0; session < sessions; ++session) {
    const std::uint32_t length = 2 + next(5);
    std::uint32_t item = next(static_cast<std::uint32_t>(items));
    for (std::uint32_t click = 0; click < length; ++click) {
      csv += "s" + std::to_string(session) + ",,i" + std::to_string(item) + ",,\n";
      item = (item + 1 + next(2)) % static_cast<std::uint32_t>(items);
    }
  }
  return csv;
}

std::shared_ptr<const Model> session_knn_model(const std::string& csv) {
  const auto log = testing::parse_log(csv);
  const auto tables = training::train_session_knn(log, log.item_ids.size(), {});
  training::ModelBundleParts parts;
  parts.kind = "sknn";
  parts.version = "sknn-part";
  parts.item_ids = log.item_ids;
  parts.popularity = training::train_popularity(log, log.item_ids.size(), {});
  parts.session_knn = &tables;
  return testing::load_model(training::build_model_bundle(parts));
}

// A small GRU trained on the same log (so the item order matches the session-kNN part's).
std::shared_ptr<const Model> gru_model(const std::string& csv, training::GruParameters* parameters) {
  const auto log = testing::parse_log(csv);
  training::GruTrainingOptions options;
  options.hidden_size = 8;
  options.epochs = 1;
  options.batch_size = 4;
  options.negatives = 8;
  *parameters = training::train_gru(log, log.item_ids.size(), options);
  training::ModelBundleParts parts;
  parts.kind = "gru";
  parts.version = "gru-part";
  parts.item_ids = log.item_ids;
  parts.popularity = training::train_popularity(log, log.item_ids.size(), {});
  parts.gru = parameters;
  return testing::load_model(training::build_model_bundle(parts));
}

// Item -> score of the items a standalone model scored (not the popularity top-up).
std::map<std::uint32_t, float> part_scores(const std::shared_ptr<const Model>& model, const SessionState& state) {
  Recommender recommender(model);
  std::vector<Recommendation> results;
  REQUIRE(recommender.recommend(state, kMaxResults, {}, &results).ok());
  std::map<std::uint32_t, float> scores;
  for (const auto& result : results) {
    if (result.source != Source::popular) scores[result.item] = result.score;
  }
  return scores;
}

float maximum(const std::map<std::uint32_t, float>& scores) {
  float best = 0.0f;
  for (const auto& [item, score] : scores) best = std::max(best, score);
  return best;
}


// What a blend of these parts' scores must give: each part scaled to a maximum of 1, mixed by the
// sknn share `weight`.
std::map<std::uint32_t, double> expected_mix(const std::map<std::uint32_t, float>& other,
                                             const std::map<std::uint32_t, float>& sknn, double weight) {
  std::map<std::uint32_t, double> expected;
  if (weight < 1.0) {
    for (const auto& [item, score] : other) expected[item] += (1.0 - weight) * score / maximum(other);
  }
  if (weight > 0.0) {
    for (const auto& [item, score] : sknn) expected[item] += weight * score / maximum(sknn);
  }
  return expected;
}

void check_mix(const std::map<std::uint32_t, float>& blended, const std::map<std::uint32_t, double>& expected) {
  REQUIRE(blended.size() == expected.size());
  for (const auto& [item, score] : blended) {
    REQUIRE(expected.count(item) == 1);
    CHECK(score == Approx(expected.at(item)).epsilon(1e-5));
  }
}

}  // namespace

TEST_CASE("a blend mixes its parts' max-scaled scores by the weight", "[blend]") {
  const std::string csv = walk_log(70, 30, 11);
  auto item_knn = testing::load_model(testing::train_bundle(csv, "itemknn"));
  auto session_knn = session_knn_model(csv);
  auto parts = training::blend_parts(session_knn, item_knn);  // either order
  REQUIRE(parts.ok());
  CHECK(parts.value().other == item_knn);

  SessionState state;
  state.add({4, EventType::view, 0.0});
  state.add({6, EventType::view, 0.0});
  const auto knn_scores = part_scores(item_knn, state);
  const auto sknn_scores = part_scores(session_knn, state);
  REQUIRE(!knn_scores.empty());
  REQUIRE(!sknn_scores.empty());
  for (const double weight : {0.0, 0.3, 0.875, 1.0}) {
    const auto bytes = training::build_blend_bundle(parts.value(), weight, "blend-test", nlohmann::json::object());
    auto blend = testing::load_model(bytes);
    REQUIRE(blend->kind() == ModelKind::blend);
    CHECK(blend->session_knn_blend_weight() == weight);
    INFO("weight " << weight);
    check_mix(part_scores(blend, state), expected_mix(knn_scores, sknn_scores, weight));
  }
}

TEST_CASE("a blend with a GRU part mixes the network's exp(s - best) scores", "[blend]") {
  const std::string csv = walk_log(70, 30, 11);
  training::GruParameters parameters;
  auto gru = gru_model(csv, &parameters);
  auto session_knn = session_knn_model(csv);
  auto parts = training::blend_parts(gru, session_knn);
  REQUIRE(parts.ok());
  CHECK(parts.value().other == gru);

  SessionState state;
  state.add({4, EventType::view, 0.0});
  state.add({6, EventType::view, 0.0});
  // The GRU part: the ranker's view of the standalone network (best 1000 items, exp(s - best)).
  std::map<std::uint32_t, float> gru_scores;
  {
    Recommender recommender(gru);
    std::vector<Recommendation> candidates;
    REQUIRE(recommender.score_session(state, &candidates).ok());
    for (const auto& candidate : candidates) gru_scores[candidate.item] = candidate.score;
  }
  const auto sknn_scores = part_scores(session_knn, state);
  REQUIRE(gru_scores.size() == 30);
  CHECK(maximum(gru_scores) == 1.0f);
  REQUIRE(!sknn_scores.empty());
  for (const double weight : {0.0, 0.4, 1.0}) {
    const auto bytes = training::build_blend_bundle(parts.value(), weight, "blend-gru-test", nlohmann::json::object());
    auto blend = testing::load_model(bytes);
    REQUIRE(blend->kind() == ModelKind::blend);
    REQUIRE(blend->gru() != nullptr);
    CHECK(blend->next_neighbours() == nullptr);
    INFO("weight " << weight);
    // The GRU part's maximum is already 1 (checked above), so scaling leaves it as it is.
    check_mix(part_scores(blend, state), expected_mix(gru_scores, sknn_scores, weight));
  }
  // related() of a GRU blend is the network's one-item prediction, as for a gru model.
  Recommender blend_recommender(testing::load_model(training::build_blend_bundle(parts.value(), 0.5, "b", nlohmann::json::object())));
  Recommender gru_recommender(gru);
  std::vector<Recommendation> from_blend;
  std::vector<Recommendation> from_gru;
  REQUIRE(blend_recommender.related(3, 5, {}, &from_blend).ok());
  REQUIRE(gru_recommender.related(3, 5, {}, &from_gru).ok());
  REQUIRE(from_blend.size() == from_gru.size());
  for (std::size_t index = 0; index < from_gru.size(); ++index) CHECK(from_blend[index].item == from_gru[index].item);
}

TEST_CASE("only an sknn model with an itemknn or gru model of the same items can be blended", "[blend]") {
  const std::string csv = walk_log(40, 20, 2);
  auto item_knn = testing::load_model(testing::train_bundle(csv, "itemknn"));
  auto session_knn = session_knn_model(csv);
  auto two_knn = training::blend_parts(item_knn, item_knn);
  REQUIRE(!two_knn.ok());
  CHECK(two_knn.status().code() == ErrorCode::invalid_argument);
  auto other_items = training::blend_parts(item_knn, session_knn_model(walk_log(40, 25, 3)));
  REQUIRE(!other_items.ok());
  CHECK(other_items.status().code() == ErrorCode::invalid_argument);

  auto parts = training::blend_parts(item_knn, session_knn);
  REQUIRE(parts.ok());
  const auto bad_weight = training::build_blend_bundle(parts.value(), 1.5, "bad", nlohmann::json::object());
  auto loaded = Model::load(ByteBuffer::copy_of(bad_weight.data(), bad_weight.size()));
  REQUIRE(!loaded.ok());
  CHECK(loaded.status().code() == ErrorCode::bad_manifest);
  CHECK(loaded.status().message().find("inference.sknn_weight") != std::string::npos);
}
