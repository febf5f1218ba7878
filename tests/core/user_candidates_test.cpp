// The ranker's user source over a bundle with item factors: the best items by x^T y, never the
// history's own, explained by a history item; a rerank scores only the page; and the user
// weight of the recipe blends it with the other sources.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/factor_fixture.hpp"
#include "shelfwise/ranker.hpp"
#include "shelfwise/user_candidates.hpp"

namespace shelfwise {
namespace {

struct UserBench {
  std::shared_ptr<const Model> model;
  Recommender recommender;
  Ranker ranker;
  UserVector user;
  SessionState session;
  Recipe recipe;
  std::vector<Recommendation> results;

  explicit UserBench(FactorDType dtype = FactorDType::f32)
      : model(testing::load_model(testing::factor_bundle([&] {
          testing::FactorBundleOptions options;
          options.items = 300;
          options.dtype = dtype;
          return options;
        }()))),
        recommender(model),
        ranker(model, recommender),
        user(model) {
    ranker.set_source(CandidateSourceId::user, std::make_unique<UserCandidates>(model, user));
    recipe.name = "user-only";
    recipe.weights[static_cast<std::size_t>(CandidateSourceId::user)] = 1.0;
  }

  float exact_score(std::uint32_t item) {
    std::vector<float> row(model->item_factors()->dim());
    model->item_factors()->row(item, row.data());
    float sum = 0.0f;
    const ArrayView<float> x = user.vector();
    for (std::size_t i = 0; i < row.size(); ++i) sum += row[i] * x[i];
    return sum;
  }
};

TEST_CASE("the user source ranks by the user vector and never proposes the history", "[user-source]") {
  for (const FactorDType dtype : {FactorDType::f32, FactorDType::f16, FactorDType::int8, FactorDType::pq}) {
    UserBench bench(dtype);
    const std::vector<std::uint32_t> history = {3, 17, 17, 42, 99};
    for (const std::uint32_t item : history) bench.user.add(item, EventType::view);
    RankRequest request;
    request.recipe = &bench.recipe;
    request.session = &bench.session;
    request.k = 20;
    REQUIRE(bench.ranker.rank(request, &bench.results).ok());
    REQUIRE(bench.results.size() == 20);
    // The true best 20 items outside the history, by the dequantised dot product.
    std::vector<std::pair<float, std::uint32_t>> all;
    for (std::uint32_t item = 0; item < 300; ++item) {
      if (std::find(history.begin(), history.end(), item) == history.end()) all.emplace_back(bench.exact_score(item), item);
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::size_t overlap = 0;
    for (const Recommendation& result : bench.results) {
      INFO("dtype " << factor_dtype_name(dtype));
      CHECK(std::find(history.begin(), history.end(), result.item) == history.end());
      CHECK(result.source == Source::user);
      CHECK(std::find(history.begin(), history.end(), result.because) != history.end());
      for (std::size_t rank = 0; rank < 20; ++rank) overlap += all[rank].second == result.item ? 1 : 0;
    }
    // Scoring differs from the exact dot only by the int8 query rounding: near ties may swap.
    CHECK(overlap >= 19);
    CHECK(bench.results.front().score == Approx(1.0f));  // normalised by the source's maximum
  }
}

TEST_CASE("the user source in a rerank scores only the page, history items included as zero", "[user-source]") {
  UserBench bench;
  bench.user.add(10, EventType::purchase);
  bench.user.add(11, EventType::view);
  std::vector<std::uint32_t> page = {10, 20, 30, 40, 50, 60};
  bench.recipe.weights[static_cast<std::size_t>(CandidateSourceId::page)] = 0.001;
  RankRequest request;
  request.recipe = &bench.recipe;
  request.session = &bench.session;
  request.k = 6;
  request.rerank = true;
  request.page = {page.data(), page.size()};
  REQUIRE(bench.ranker.rank(request, &bench.results).ok());
  REQUIRE(bench.results.size() == 6);
  for (std::size_t rank = 0; rank + 1 < bench.results.size(); ++rank) {
    const std::uint32_t item = bench.results[rank].item;
    CHECK(std::find(page.begin(), page.end(), item) != page.end());
    if (bench.results[rank].source == Source::user && bench.results[rank + 1].source == Source::user) {
      CHECK(bench.exact_score(item) >= bench.exact_score(bench.results[rank + 1].item) - 1e-6f);
    }
  }
  CHECK(std::none_of(bench.results.begin(), bench.results.end(),
                     [](const Recommendation& result) { return result.item == 10 && result.source == Source::user; }));
}

TEST_CASE("without history the user source adds nothing and popularity decides", "[user-source]") {
  UserBench bench;
  RankRequest request;
  request.recipe = &bench.recipe;
  request.session = &bench.session;
  request.k = 5;
  REQUIRE(bench.ranker.rank(request, &bench.results).ok());
  REQUIRE(bench.results.size() == 5);
  for (std::uint32_t rank = 0; rank < 5; ++rank) {
    CHECK(bench.results[rank].item == rank);  // the fixture's popularity decreases with the index
    CHECK(bench.results[rank].source == Source::popular);
  }
}

}  // namespace
}  // namespace shelfwise
