// The ranker: blending of the candidate sources by recipe, every business rule, their order, and
// the explanation each result carries.
#include "shelfwise/ranker.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "ranking_fixture.hpp"

namespace {

using shelfwise::ErrorCode;
using shelfwise::kForeignItemBase;
using shelfwise::kNoItem;
using shelfwise::Recommendation;
using shelfwise::Source;
using shelfwise::testing::RankingBench;

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::size_t position_of(const std::vector<std::string>& ids, const std::string& id) {
  return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

const Recommendation& result_for(const RankingBench& bench, const std::string& id) {
  for (const auto& result : bench.results) {
    if (bench.id(result.item) == id) return result;
  }
  FAIL("no result for " << id);
  return bench.results.front();
}

}  // namespace

TEST_CASE("blending: the visit leads on home, explained by the shopper's item; popularity fills", "[ranker]") {
  RankingBench bench;
  REQUIRE(bench.rank("home", 10).ok());
  // An empty visit: popularity alone, most popular first.
  REQUIRE(bench.ids().front() == "B1");
  for (const auto& result : bench.results) REQUIRE(result.source == Source::popular);

  bench.event("A1");
  REQUIRE(bench.rank("home", 10).ok());
  const auto ids = bench.ids();
  REQUIRE(ids.size() == 10);
  REQUIRE(ids[0] == "A2");  // A1 -> A2 is the strongest "next" pair
  REQUIRE(bench.results[0].source == Source::next);
  REQUIRE(bench.id(bench.results[0].because) == "A1");
  REQUIRE(result_for(bench, "B1").source == Source::popular);
  REQUIRE(result_for(bench, "B1").because == kNoItem);
  REQUIRE(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
  for (std::size_t rank = 1; rank < bench.results.size(); ++rank) REQUIRE(bench.results[rank - 1].score >= bench.results[rank].score);
}

TEST_CASE("blending: the page's weight override changes the sources used", "[ranker]") {
  RankingBench bench;
  bench.event("A1");
  REQUIRE(bench.set_rules(R"({"weights": {"session": 0}})").ok());
  REQUIRE(bench.rank("home", 5).ok());
  REQUIRE(bench.ids().front() == "B1");
  for (const auto& result : bench.results) REQUIRE(result.source == Source::popular);
  // Weights are scale-free per source: doubling every weight keeps the order and doubles scores.
  REQUIRE(bench.set_rules("").ok());
  REQUIRE(bench.rank("home", 5).ok());
  const auto plain = bench.results;
  REQUIRE(bench.set_rules(R"({"weights": {"session": 2, "popular": 0.6, "user": 2}})").ok());
  REQUIRE(bench.rank("home", 5).ok());
  for (std::size_t rank = 0; rank < plain.size(); ++rank) {
    REQUIRE(bench.results[rank].item == plain[rank].item);
    REQUIRE(bench.results[rank].score == Approx(2.0 * plain[rank].score));
  }
}

TEST_CASE("context: the product page is about the product; it never recommends itself", "[ranker]") {
  RankingBench bench;
  bench.event("A1");
  bench.context = {bench.index("C1")};
  REQUIRE(bench.rank("product-page", 6).ok());
  const auto ids = bench.ids();
  REQUIRE(ids[0] == "C2");
  REQUIRE(bench.results[0].source == Source::related);
  REQUIRE(bench.id(bench.results[0].because) == "C1");
  REQUIRE_FALSE(contains(ids, "C1"));
  // The home recipe gives the context no weight: the visit's item leads there.
  REQUIRE(bench.rank("home", 6).ok());
  REQUIRE(bench.ids()[0] == "A2");
}

TEST_CASE("rule 1, filter: categories, excluded categories, price range, availability", "[ranker][rules-order]") {
  RankingBench bench;
  bench.event("A1");
  const auto& catalog = *bench.model->catalog();
  REQUIRE(bench.set_rules(R"({"filter": {"categories": ["books"]}})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  REQUIRE(bench.results.size() == 3);
  for (const auto& result : bench.results) REQUIRE(bench.category(result) == "books");

  REQUIRE(bench.set_rules(R"({"filter": {"exclude_categories": ["audio", "books"]}})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  REQUIRE(bench.ids().size() == 3);  // C1, C2 and D1 (no category is not an excluded one)
  REQUIRE(contains(bench.ids(), "D1"));

  REQUIRE(bench.set_rules(R"({"filter": {"price": {"min": 10, "max": 25}}})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  REQUIRE(bench.ids().size() == 4);  // A1 10, A2 20, B2 15, B3 25; D1 has no price
  for (const auto& result : bench.results) {
    REQUIRE(catalog.price(result.item) >= 10.0f);
    REQUIRE(catalog.price(result.item) <= 25.0f);
  }

  REQUIRE(bench.set_rules("").ok());
  REQUIRE(bench.rank("home", 10).ok());
  REQUIRE(contains(bench.ids(), "A4"));  // sold out, but nothing asked to hide it
  REQUIRE(bench.set_rules(R"({"filter": {"available": true}})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  REQUIRE_FALSE(contains(bench.ids(), "A4"));
  REQUIRE(bench.ids().size() == 9);
}

TEST_CASE("rule 2, exclude: purchases and carts of the visit, listed items; recipes set the defaults", "[ranker][rules-order]") {
  RankingBench bench;
  bench.event("A1");
  bench.event("B1", shelfwise::EventType::purchase);
  bench.event("A2", shelfwise::EventType::cart);
  REQUIRE(bench.rank("home", 10).ok());
  REQUIRE_FALSE(contains(bench.ids(), "B1"));  // home: purchases hidden
  REQUIRE(contains(bench.ids(), "A2"));        // home: the cart is not
  REQUIRE(bench.rank("cart", 10).ok());
  REQUIRE_FALSE(contains(bench.ids(), "B1"));
  REQUIRE_FALSE(contains(bench.ids(), "A2"));
  REQUIRE(bench.set_rules(R"({"exclude": {"purchased": false, "in_cart": true, "items": ["C1", "NOPE"]}})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  REQUIRE(contains(bench.ids(), "B1"));
  REQUIRE_FALSE(contains(bench.ids(), "A2"));
  REQUIRE_FALSE(contains(bench.ids(), "C1"));
}

TEST_CASE("rule 3, boost/bury: matching scores are multiplied by each factor", "[ranker][rules-order]") {
  RankingBench bench;
  bench.event("A1");
  REQUIRE(bench.rank("home", 10).ok());
  std::map<std::string, float> plain;
  for (const auto& result : bench.results) plain[bench.id(result.item)] = result.score;

  REQUIRE(bench.set_rules(R"({"boost": [{"categories": ["cameras"], "factor": 10},
                                        {"price": {"min": 200}, "factor": 2},
                                        {"categories": ["audio"], "factor": 0.01}]})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  const auto ids = bench.ids();
  REQUIRE(ids[0] == "C1");  // both boosts: x20
  REQUIRE(result_for(bench, "C1").score == Approx(plain["C1"] * 20.0f));
  REQUIRE(result_for(bench, "C2").score == Approx(plain["C2"] * 10.0f));
  REQUIRE(result_for(bench, "A2").score == Approx(plain["A2"] * 0.01f));
  // Buried audio sinks below every other category.
  for (const char* audio : {"A1", "A2", "A3", "A4"}) {
    for (const char* other : {"B1", "B2", "B3", "C1", "C2"}) REQUIRE(position_of(ids, audio) > position_of(ids, other));
  }
}

TEST_CASE("rule 4, pin: fixed positions, once, after the filters and exclusions", "[ranker][rules-order]") {
  RankingBench bench;
  bench.event("A1");
  REQUIRE(bench.set_rules(R"({"pin": [{"item": "C2", "position": 1}, {"item": "A2", "position": 4}]})").ok());
  REQUIRE(bench.rank("home", 6).ok());
  auto ids = bench.ids();
  REQUIRE(ids[0] == "C2");
  REQUIRE(bench.results[0].source == Source::pinned);
  REQUIRE(ids[3] == "A2");  // the best candidate, moved to its pin and shown once (dedup)
  REQUIRE(std::count(ids.begin(), ids.end(), "A2") == 1);
  REQUIRE(ids.size() == 6);

  // Filters come first: a pinned item they reject is not shown.
  REQUIRE(bench.set_rules(R"({"filter": {"available": true}, "pin": [{"item": "A4", "position": 1}]})").ok());
  REQUIRE(bench.rank("home", 6).ok());
  REQUIRE_FALSE(contains(bench.ids(), "A4"));
  // So do exclusions.
  bench.event("C2", shelfwise::EventType::purchase);
  REQUIRE(bench.set_rules(R"({"pin": [{"item": "C2", "position": 1}]})").ok());
  REQUIRE(bench.rank("home", 6).ok());
  REQUIRE_FALSE(contains(bench.ids(), "C2"));
  // A pin past k is not shown; a pin past the end of a short list closes it.
  REQUIRE(bench.set_rules(R"({"filter": {"categories": ["cameras"]}, "pin": [{"item": "B3", "position": 9}]})").ok());
  REQUIRE(bench.rank("home", 5).ok());
  REQUIRE_FALSE(contains(bench.ids(), "B3"));
  REQUIRE(bench.set_rules(R"({"filter": {"categories": ["books"]}, "pin": [{"item": "B1", "position": 5}]})").ok());
  REQUIRE(bench.rank("home", 5).ok());
  REQUIRE(bench.ids().size() == 3);
  REQUIRE(bench.ids()[2] == "B1");
}

TEST_CASE("rule 5, cap per category: pins count and stay; uncategorised items are not capped", "[ranker][rules-order]") {
  RankingBench bench;
  bench.event("A1");
  REQUIRE(bench.set_rules(R"({"max_per_category": 1})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  std::map<std::string, int> per_category;
  for (const auto& result : bench.results) ++per_category[bench.category(result)];
  REQUIRE(per_category["audio"] == 1);
  REQUIRE(per_category["books"] == 1);
  REQUIRE(per_category["cameras"] == 1);
  REQUIRE(per_category[""] == 1);  // D1
  REQUIRE(bench.ids()[0] == "A2");  // the best audio item is the one kept

  REQUIRE(bench.set_rules(R"({"max_per_category": 1, "pin": [{"item": "A3", "position": 2}, {"item": "B2", "position": 3}, {"item": "B3", "position": 4}]})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  const auto ids = bench.ids();
  REQUIRE(ids[1] == "A3");
  REQUIRE(ids[2] == "B2");
  REQUIRE(ids[3] == "B3");                   // over the cap, but pinned
  REQUIRE_FALSE(contains(ids, "A2"));        // the pinned A3 used audio's one place
  REQUIRE_FALSE(contains(ids, "B1"));
}

TEST_CASE("order: boost decides which item the cap keeps", "[ranker][rules-order]") {
  RankingBench bench;
  bench.event("A1");
  REQUIRE(bench.set_rules(R"({"max_per_category": 1, "boost": [{"items": ["A3"], "factor": 50}]})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  REQUIRE(bench.ids()[0] == "A3");
  REQUIRE_FALSE(contains(bench.ids(), "A2"));
}

TEST_CASE("rule 6, diversity: MMR trades relevance for variety by lambda", "[ranker][rules-order]") {
  RankingBench bench;
  bench.event("A1");
  REQUIRE(bench.rank("home", 6).ok());
  const auto plain = bench.ids();
  REQUIRE(plain[0] == "A2");
  REQUIRE(plain[1] == "A3");  // two audio items lead without diversity

  REQUIRE(bench.set_rules(R"({"diversity": {"lambda": 1}})").ok());
  REQUIRE(bench.rank("home", 6).ok());
  REQUIRE(bench.ids() == plain);  // lambda 1 is pure relevance

  REQUIRE(bench.set_rules(R"({"diversity": {"lambda": 0.3}})").ok());
  REQUIRE(bench.rank("home", 6).ok());
  const auto diverse = bench.ids();
  REQUIRE(diverse[0] == "A2");  // the first pick is the most relevant
  REQUIRE(bench.category(bench.results[1]) != "audio");
  REQUIRE(std::set<std::string>(diverse.begin(), diverse.end()) .size() == diverse.size());
  // Pins count as already shown: with audio pinned first, MMR's first pick avoids audio.
  REQUIRE(bench.set_rules(R"({"diversity": {"lambda": 0.3}, "pin": [{"item": "A3", "position": 1}]})").ok());
  REQUIRE(bench.rank("home", 6).ok());
  REQUIRE(bench.ids()[0] == "A3");
  REQUIRE(bench.category(bench.results[1]) != "audio");
}

TEST_CASE("order: the cap runs before diversity, which cannot bring a capped item back", "[ranker][rules-order]") {
  RankingBench bench;
  bench.event("A1");
  REQUIRE(bench.set_rules(R"({"max_per_category": 1, "diversity": {"lambda": 0.0}})").ok());
  REQUIRE(bench.rank("home", 10).ok());
  std::map<std::string, int> per_category;
  for (const auto& result : bench.results) ++per_category[bench.category(result)];
  for (const auto& [category, count] : per_category) REQUIRE(count == 1);
  REQUIRE(bench.results.size() == 4);
}

TEST_CASE("rerank: only the page's items, unknown ones kept, duplicates once, the shop's order for strangers", "[ranker][rules-order]") {
  RankingBench bench;
  const std::uint32_t foreign = kForeignItemBase + 0;
  bench.page = {bench.index("B3"), bench.index("A3"), foreign, bench.index("C2"), bench.index("A3"), bench.index("A2")};
  REQUIRE(bench.set_rules(R"({"weights": {"session": 0, "context": 0, "popular": 0, "page": 1}})").ok());
  REQUIRE(bench.rank("category-rerank", 10, true).ok());
  REQUIRE(bench.ids() == std::vector<std::string>{"B3", "A3", "foreign#0", "C2", "A2"});
  REQUIRE(bench.results[0].source == Source::page);

  // With the recipe's weights, the visit lifts what follows the shopper's item.
  bench.event("A1");
  REQUIRE(bench.set_rules("").ok());
  REQUIRE(bench.rank("category-rerank", 10, true).ok());
  const auto ids = bench.ids();
  REQUIRE(ids.size() == 5);
  REQUIRE(ids[0] == "A2");
  REQUIRE(bench.id(bench.results[0].because) == "A1");
  REQUIRE(contains(ids, "foreign#0"));
  REQUIRE_FALSE(contains(ids, "B1"));  // never a non-page item

  // Unknown items have no attributes: a category filter drops them, an exclusion filter keeps them.
  REQUIRE(bench.set_rules(R"({"filter": {"categories": ["audio"]}})").ok());
  REQUIRE(bench.rank("category-rerank", 10, true).ok());
  REQUIRE(bench.ids() == std::vector<std::string>{"A2", "A3"});
  REQUIRE(bench.set_rules(R"({"filter": {"exclude_categories": ["audio"]}, "pin": [{"item": "C2", "position": 1}, {"item": "B1", "position": 2}]})").ok());
  REQUIRE(bench.rank("category-rerank", 10, true).ok());
  const auto pinned = bench.ids();
  REQUIRE(pinned[0] == "C2");
  REQUIRE_FALSE(contains(pinned, "B1"));  // a pin cannot add an item the page does not list
  REQUIRE(pinned.size() == 3);
  // k cuts a rerank.
  REQUIRE(bench.set_rules("").ok());
  REQUIRE(bench.rank("category-rerank", 2, true).ok());
  REQUIRE(bench.results.size() == 2);
}

TEST_CASE("a user-vector source plugs into the extension point and explains itself", "[ranker]") {
  class FixedUserSource final : public shelfwise::CandidateSource {
   public:
    FixedUserSource(std::uint32_t item, std::uint32_t because) : item_(item), because_(because) {}
    shelfwise::Status collect(const shelfwise::RankingInputs&, shelfwise::CandidatePool& pool) override {
      pool.add(item_, shelfwise::CandidateSourceId::user, 5.0f, Source::user, because_);
      return shelfwise::Status::ok_status();
    }

   private:
    std::uint32_t item_;
    std::uint32_t because_;
  };
  RankingBench bench;
  bench.event("A1");
  bench.ranker.set_source(shelfwise::CandidateSourceId::user, std::make_unique<FixedUserSource>(bench.index("C2"), bench.index("A1")));
  REQUIRE(bench.rank("home", 5).ok());
  REQUIRE(bench.ids()[0] == "C2");  // weight 1 x normalised 1, plus its popularity
  REQUIRE(bench.results[0].source == Source::user);
  REQUIRE(bench.id(bench.results[0].because) == "A1");
  REQUIRE(bench.set_rules(R"({"weights": {"user": 0}})").ok());
  REQUIRE(bench.rank("home", 5).ok());
  REQUIRE(bench.ids()[0] == "A2");
}

TEST_CASE("bad requests fail with stable codes", "[ranker]") {
  RankingBench bench;
  REQUIRE(bench.rank("home", 0).code() == ErrorCode::invalid_argument);
  REQUIRE(bench.rank("home", 1001).code() == ErrorCode::limit_exceeded);
  REQUIRE(bench.rank("no-such-slot", 5).code() == ErrorCode::invalid_argument);  // no recipe
  bench.context.assign(51, bench.index("A1"));
  REQUIRE(bench.rank("product-page", 5).code() == ErrorCode::limit_exceeded);
  bench.context = {999};
  REQUIRE(bench.rank("product-page", 5).code() == ErrorCode::unknown_item);
  bench.context.clear();
  bench.page.assign(1001, bench.index("A1"));
  REQUIRE(bench.rank("category-rerank", 5, true).code() == ErrorCode::limit_exceeded);
  bench.page = {kForeignItemBase + 5000};
  REQUIRE(bench.rank("category-rerank", 5, true).code() == ErrorCode::unknown_item);
  bench.page = {12345};
  REQUIRE(bench.rank("category-rerank", 5, true).code() == ErrorCode::unknown_item);
  // A failed request leaves the ranker usable.
  bench.page = {bench.index("A1")};
  REQUIRE(bench.rank("category-rerank", 5, true).ok());
  REQUIRE(bench.ids() == std::vector<std::string>{"A1"});
}
