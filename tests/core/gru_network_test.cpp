// The GRU network read from a bundle (gru_network.hpp), its scorer and the session's hidden state
// (gru_scorer.hpp, session_state.hpp): the forward pass against a direct double-precision
// computation, portable exp/tanh against libm, incremental state updates against a replay,
// and the Recommender's dispatch for "gru" bundles.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gru_fixture.hpp"
#include "shelfwise/gru_scorer.hpp"
#include "shelfwise/portable_math.hpp"
#include "shelfwise/ranker.hpp"
#include "shelfwise/recommender.hpp"
#include "test_support.hpp"
#include "training/model_bundle.hpp"

namespace {

using shelfwise::GruNetwork;
using shelfwise::GruScorer;
using shelfwise::Recommendation;
using shelfwise::Recommender;
using shelfwise::SessionState;
using shelfwise::Source;
using shelfwise::testing::make_gru_fixture;

std::vector<float> state_after(const GruNetwork& network, const std::vector<std::uint32_t>& items) {
  std::vector<float> hidden(network.hidden_size(), 0.0f);
  std::vector<float> scratch(network.step_scratch_size());
  for (const std::uint32_t item : items) network.step(item, hidden.data(), scratch.data());
  return hidden;
}

SessionState session_of(const std::vector<std::uint32_t>& items, std::size_t retained = 200) {
  SessionState session(retained);
  for (const std::uint32_t item : items) session.add({item, shelfwise::EventType::view, 0.0});
  return session;
}

// A "gru" bundle of items "i0".."i9" with `parameters` (shaped as they are), loaded.
shelfwise::Result<std::shared_ptr<const shelfwise::Model>> load_ten_item_gru(const shelfwise::training::GruParameters& parameters) {
  shelfwise::training::ModelBundleParts parts;
  parts.kind = "gru";
  parts.version = "v";
  for (int item = 0; item < 10; ++item) {
    parts.item_ids.push_back("i" + std::to_string(item));
    parts.popularity.push_back(1.0f);
  }
  parts.gru = &parameters;
  const auto bytes = shelfwise::training::build_model_bundle(parts);
  return shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
}

}  // namespace

TEST_CASE("portable exp, sigmoid and tanh agree with libm", "[gru]") {
  for (float x = -80.0f; x <= 80.0f; x += 0.37f) {
    const double expected = std::exp(static_cast<double>(x));
    CHECK(std::fabs(shelfwise::portable_exp(x) - expected) <= 4e-7 * expected);
  }
  for (float x = -12.0f; x <= 12.0f; x += 0.013f) {
    CHECK(std::fabs(shelfwise::portable_tanh(x) - std::tanh(static_cast<double>(x))) <= 3e-7);
    CHECK(std::fabs(shelfwise::portable_sigmoid(x) - 1.0 / (1.0 + std::exp(-static_cast<double>(x)))) <= 3e-7);
  }
  CHECK(shelfwise::portable_exp(-100.0f) == 0.0f);
  CHECK(std::isfinite(shelfwise::portable_exp(1000.0f)));
}

TEST_CASE("the GRU forward pass matches a direct computation of its equations", "[gru]") {
  const auto fixture = make_gru_fixture(57, 12, 3);
  const GruNetwork* network = fixture.model->gru();
  REQUIRE(network != nullptr);
  REQUIRE(network->hidden_size() == 12);
  REQUIRE(network->item_count() == 57);
  const std::vector<std::uint32_t> items = {5, 0, 56, 5, 31};
  std::vector<double> expected(12, 0.0);
  std::vector<float> hidden(12, 0.0f);
  std::vector<float> scratch(network->step_scratch_size());
  for (const std::uint32_t item : items) {
    expected = shelfwise::testing::reference_gru_step(fixture.parameters, item, expected);
    network->step(item, hidden.data(), scratch.data());
    for (std::size_t i = 0; i < 12; ++i) CHECK(hidden[i] == Approx(expected[i]).margin(2e-6));
  }
  // The state is not trivial: gates are away from 0 and 1 and the state differs by item.
  double magnitude = 0.0;
  for (const double value : expected) magnitude += std::fabs(value);
  CHECK(magnitude > 0.5);
  std::vector<float> scores(57);
  network->score_items(hidden.data(), scores.data());
  const std::vector<double> expected_scores = shelfwise::testing::reference_gru_scores(fixture.parameters, expected);
  for (std::size_t item = 0; item < scores.size(); ++item) CHECK(scores[item] == Approx(expected_scores[item]).margin(2e-5));
}

TEST_CASE("a gru bundle with a mis-shaped tensor is refused naming it", "[gru]") {
  auto fixture = make_gru_fixture(10, 4, 1);
  fixture.parameters.input_weights.conservativeResize(11, 4);  // 3d rows needed
  auto loaded = load_ten_item_gru(fixture.parameters);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == shelfwise::ErrorCode::shape_mismatch);
  CHECK(loaded.status().message().find("gru.input_weights") != std::string::npos);
}

TEST_CASE("a gru bundle whose weights could overflow the network's sums is refused naming the tensor", "[gru]") {
  // Found by fuzzing: finite but huge weights made a gate Inf - Inf = NaN, and exp(NaN) converted
  // NaN to an integer (undefined behaviour natively, a trap in wasm).
  const auto fixture = make_gru_fixture(10, 4, 1);
  auto at_limit = fixture.parameters;
  at_limit.hidden_weights(0, 0) = 1099511627776.0f;  // 2^40
  at_limit.item_embeddings(3, 1) = -1099511627776.0f;
  const auto loaded = load_ten_item_gru(at_limit);
  REQUIRE(loaded.ok());
  // At the limit every sum stays finite: a session through the heavy item still ranks.
  shelfwise::Recommender recommender(loaded.value());
  std::vector<Recommendation> results;
  REQUIRE(recommender.recommend(session_of({3, 3, 1}), 5, {}, &results).ok());
  CHECK(results.size() == 5);
  for (const Recommendation& result : results) CHECK(std::isfinite(result.score));
  for (const char* tensor : {"gru.hidden_weights", "gru.item_embeddings", "gru.gate_bias"}) {
    auto beyond = fixture.parameters;
    if (std::string(tensor) == "gru.hidden_weights") beyond.hidden_weights(2, 1) = 3e12f;
    if (std::string(tensor) == "gru.item_embeddings") beyond.item_embeddings(7, 0) = -3e12f;
    if (std::string(tensor) == "gru.gate_bias") beyond.gate_bias(5) = 1e30f;
    const auto refused = load_ten_item_gru(beyond);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == shelfwise::ErrorCode::bad_tensor);
    CHECK(refused.status().message().find(tensor) != std::string::npos);
  }
  CHECK(std::isnan(shelfwise::portable_exp(std::nanf(""))));
  CHECK(std::isnan(shelfwise::portable_sigmoid(std::nanf(""))));
}

TEST_CASE("the session's hidden state advances one event at a time and equals a replay", "[gru]") {
  const auto fixture = make_gru_fixture(40, 8, 7);
  const GruNetwork& network = *fixture.model->gru();
  GruScorer scorer(network);
  SessionState session;
  std::vector<std::uint32_t> seen;
  for (const std::uint32_t item : {3U, 9U, 9U, 39U, 0U, 17U}) {
    session.add({item, shelfwise::EventType::view, 0.0});
    seen.push_back(item);
    CHECK(scorer.advance(session) == item);
    CHECK(session.recurrent_state().events_folded == seen.size());
    CHECK(session.recurrent_state().hidden == state_after(network, seen));  // bit for bit
  }
  // Advancing again without new events changes nothing.
  const std::vector<float> before = session.recurrent_state().hidden;
  scorer.advance(session);
  CHECK(session.recurrent_state().hidden == before);

  SECTION("items outside the model are skipped") {
    session.add({1000, shelfwise::EventType::view, 0.0});
    CHECK(scorer.advance(session) == 17U);
    CHECK(session.recurrent_state().hidden == before);
  }
  SECTION("clear() starts from zeros") {
    session.clear();
    CHECK(scorer.advance(session) == shelfwise::kNoItem);
    CHECK(session.recurrent_state().hidden == std::vector<float>(8, 0.0f));
    session.add({5, shelfwise::EventType::view, 0.0});
    scorer.advance(session);
    CHECK(session.recurrent_state().hidden == state_after(network, {5}));
  }
  SECTION("another model's scorer starts the state afresh from the retained events") {
    const auto other = make_gru_fixture(40, 8, 8);
    GruScorer other_scorer(*other.model->gru());
    other_scorer.advance(session);
    CHECK(session.recurrent_state().hidden == state_after(*other.model->gru(), seen));
    scorer.advance(session);
    CHECK(session.recurrent_state().hidden == state_after(network, seen));
  }
}

TEST_CASE("events dropped before they were folded are replayed from what the session retains", "[gru]") {
  const auto fixture = make_gru_fixture(30, 6, 9);
  const GruNetwork& network = *fixture.model->gru();
  GruScorer scorer(network);
  // Folded as they come: the state remembers the dropped events too.
  SessionState incremental(3);
  for (const std::uint32_t item : {1U, 2U, 3U, 4U, 5U}) {
    incremental.add({item, shelfwise::EventType::view, 0.0});
    scorer.advance(incremental);
  }
  CHECK(incremental.recurrent_state().hidden == state_after(network, {1, 2, 3, 4, 5}));
  // Five added at once into room for three: only the retained three can be folded.
  SessionState batched = session_of({1, 2, 3, 4, 5}, 3);
  scorer.advance(batched);
  CHECK(batched.recurrent_state().hidden == state_after(network, {3, 4, 5}));
}

TEST_CASE("the Recommender scores the whole catalogue for gru bundles", "[gru]") {
  const auto fixture = make_gru_fixture(300, 16, 21);
  Recommender recommender(fixture.model);
  std::vector<Recommendation> results;
  const SessionState session = session_of({10, 250, 42});
  const std::vector<std::uint32_t> exclude = {7, 8};
  REQUIRE(recommender.recommend(session, 25, {exclude.data(), exclude.size()}, &results).ok());
  REQUIRE(results.size() == 25);

  std::vector<double> hidden(16, 0.0);
  for (const std::uint32_t item : {10U, 250U, 42U}) hidden = shelfwise::testing::reference_gru_step(fixture.parameters, item, hidden);
  const std::vector<double> scores = shelfwise::testing::reference_gru_scores(fixture.parameters, hidden);
  // The best 25 by the reference, exclusions removed.
  std::vector<std::uint32_t> order;
  for (std::uint32_t item = 0; item < 300; ++item) {
    if (item != 7 && item != 8) order.push_back(item);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return scores[a] > scores[b]; });
  for (std::size_t rank = 0; rank < results.size(); ++rank) {
    CHECK(results[rank].item == order[rank]);
    CHECK(results[rank].score == Approx(scores[order[rank]]).margin(1e-4));
    CHECK(results[rank].source == Source::next);
    CHECK(results[rank].because == 42U);
    if (rank > 0) CHECK(results[rank - 1].score >= results[rank].score);
  }

  SECTION("a session without known items falls back to popularity") {
    REQUIRE(recommender.recommend(session_of({5000}), 5, {}, &results).ok());
    REQUIRE(results.size() == 5);
    for (std::size_t rank = 0; rank < 5; ++rank) {
      CHECK(results[rank].item == rank);
      CHECK(results[rank].source == Source::popular);
    }
  }
  SECTION("related items follow a one-item session and never include the item") {
    REQUIRE(recommender.related(42, 10, {}, &results).ok());
    REQUIRE(results.size() == 10);
    const std::vector<double> after = shelfwise::testing::reference_gru_scores(
        fixture.parameters, shelfwise::testing::reference_gru_step(fixture.parameters, 42, std::vector<double>(16, 0.0)));
    for (const Recommendation& result : results) {
      CHECK(result.item != 42U);
      CHECK(result.source == Source::related);
      CHECK(result.because == 42U);
      CHECK(result.score == Approx(after[result.item]).margin(1e-4));
    }
  }
  SECTION("bought-together on a gru bundle without those lists answers nothing") {
    // The Recommender keeps no per-item accumulation for such a model (1.7 MB at 100,000 items);
    // the sanitizer run checks that nothing reaches for it.
    results.push_back({1, 1.0f, Source::popular, shelfwise::kNoItem});
    REQUIRE(recommender.bought_together(42, 10, {}, &results).ok());
    CHECK(results.empty());
    REQUIRE(recommender.related(42, 3, {}, &results).ok());
    CHECK(results.size() == 3);
  }
  SECTION("the ranker's session source gets non-negative scores, best first at 1") {
    std::vector<Recommendation> candidates;
    REQUIRE(recommender.score_session(session, &candidates).ok());
    REQUIRE(candidates.size() == 300);  // fewer items than GruScorer::kRankerCandidates
    CHECK(candidates.front().score == 1.0f);
    for (const Recommendation& candidate : candidates) CHECK((candidate.score > 0.0f && candidate.score <= 1.0f));
    const std::vector<std::uint32_t> page = {3, 99, 0x80000001U, 3000};
    REQUIRE(recommender.score_session(session, &candidates, {page.data(), page.size()}).ok());
    REQUIRE(candidates.size() == 2);  // the foreign id and the index beyond the model are skipped
    CHECK(candidates[0].item == 3U);
    CHECK(candidates[1].item == 99U);
    CHECK(std::max(candidates[0].score, candidates[1].score) == 1.0f);
  }
  SECTION("every slot of the ranker works on a gru bundle") {
    shelfwise::Ranker ranker(fixture.model, recommender);
    for (const char* slot : {"home", "product-page", "cart", "category-rerank"}) {
      shelfwise::RankRequest request;
      request.recipe = fixture.model->recipes().find(slot);
      REQUIRE(request.recipe != nullptr);
      request.session = &session;
      request.k = 8;
      const std::vector<std::uint32_t> context = {42};
      request.context = {context.data(), context.size()};
      const std::vector<std::uint32_t> page = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
      request.rerank = std::string(slot) == "category-rerank";
      request.page = {page.data(), page.size()};
      REQUIRE(ranker.rank(request, &results).ok());
      CHECK(results.size() == 8);
    }
  }
}
