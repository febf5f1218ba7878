// Recommender on a tiny log whose answers are known by hand:
//   s1: A B   s2: A B   s3: C D   s4: C D   s5: E A B
// (indices A=0 B=1 C=2 D=3 E=4). With the trainer's defaults (max_gap 10, 1/gap, rows normalised
// to 1; cosine "related"; inference decay 0.7, related weight 0.1):
//   next:    A -> B 1.0;  C -> D 1.0;  E -> A 2/3, B 1/3;  B and D have none
//   related: A <-> B 1.0; C <-> D 1.0; E <-> A and E <-> B 1/sqrt(3)
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/bundle_writer.hpp"
#include "recommendation_checks.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/string_table.hpp"
#include "test_support.hpp"

namespace {

using shelfwise::ArrayView;
using shelfwise::ErrorCode;
using shelfwise::kNoItem;
using shelfwise::Recommendation;
using shelfwise::Recommender;
using shelfwise::SessionState;
using shelfwise::Source;
using shelfwise::testing::require_same_recommendations;

constexpr std::uint32_t A = 0, B = 1, C = 2, D = 3, E = 4;

const char* const kLog =
    "session_id,user_id,item_id,timestamp,event\n"
    "s1,,A,,\ns1,,B,,\n"
    "s2,,A,,\ns2,,B,,\n"
    "s3,,C,,\ns3,,D,,\n"
    "s4,,C,,\ns4,,D,,\n"
    "s5,,E,,\ns5,,A,,\ns5,,B,,\n";

std::shared_ptr<const shelfwise::Model> knn_model() {
  static const auto model = shelfwise::testing::load_model(shelfwise::testing::train_bundle(kLog, "itemknn"));
  return model;
}

std::shared_ptr<const shelfwise::Model> pop_model() {
  static const auto model = shelfwise::testing::load_model(shelfwise::testing::train_bundle(kLog, "pop"));
  return model;
}

SessionState session_of(std::initializer_list<std::uint32_t> items) {
  SessionState session;
  for (const std::uint32_t item : items) session.add({item, shelfwise::EventType::view, 0.0});
  return session;
}

std::vector<Recommendation> recommend(Recommender& recommender, const SessionState& session, std::size_t k,
                                      const std::vector<std::uint32_t>& exclude = {}) {
  std::vector<Recommendation> results;
  const shelfwise::Status status = recommender.recommend(session, k, {exclude.data(), exclude.size()}, &results);
  REQUIRE(status.ok());
  return results;
}

std::vector<Recommendation> related(Recommender& recommender, std::uint32_t item, std::size_t k,
                                    const std::vector<std::uint32_t>& exclude = {}) {
  std::vector<Recommendation> results;
  const shelfwise::Status status = recommender.related(item, k, {exclude.data(), exclude.size()}, &results);
  REQUIRE(status.ok());
  return results;
}

std::vector<std::uint32_t> items_of(const std::vector<Recommendation>& results) {
  std::vector<std::uint32_t> items;
  for (const auto& result : results) items.push_back(result.item);
  return items;
}

bool has_duplicates(const std::vector<Recommendation>& results) {
  const auto items = items_of(results);
  return std::set<std::uint32_t>(items.begin(), items.end()).size() != items.size();
}

// A bundle written by hand: item 0's "next" list holds equal weights in reverse index order.
std::shared_ptr<const shelfwise::Model> hand_model(const nlohmann::json& inference = nullptr) {
  const std::vector<std::string> ids{"i0", "i1", "i2", "i3", "i4", "i5"};
  nlohmann::json manifest = {{"model", {{"kind", "itemknn"}, {"version", "ties"}}}};
  if (!inference.is_null()) manifest["inference"] = inference;
  shelfwise::BundleWriter writer(ids.size(), manifest);
  shelfwise::add_string_table(writer, "items", ids);
  writer.add_vector("popularity", shelfwise::DType::f32, std::vector<float>{0.1f, 0.5f, 0.5f, 0.5f, 0.5f, 1.0f});
  writer.add_vector("popularity.head", shelfwise::DType::u32, std::vector<std::uint32_t>{5, 1, 2, 3, 4, 0});
  writer.add_vector("knn.next.offsets", shelfwise::DType::u32, std::vector<std::uint32_t>{0, 4, 5, 5, 5, 5, 5});
  writer.add_vector("knn.next.indices", shelfwise::DType::u32, std::vector<std::uint32_t>{5, 3, 1, 4, 2});
  writer.add_vector("knn.next.weights", shelfwise::DType::f32, std::vector<float>{0.5f, 0.5f, 0.5f, 0.5f, 0.25f});
  writer.add_vector("knn.related.offsets", shelfwise::DType::u32, std::vector<std::uint32_t>{0, 0, 0, 0, 0, 0, 0});
  writer.add_vector("knn.related.indices", shelfwise::DType::u32, std::vector<std::uint32_t>{});
  writer.add_vector("knn.related.weights", shelfwise::DType::f32, std::vector<float>{});
  return shelfwise::testing::load_model(writer.serialize());
}

}  // namespace

TEST_CASE("After A, the item that always follows A ranks first, explained by A", "[recommender]") {
  Recommender recommender(knn_model());
  REQUIRE(recommender.model().items().id(A) == "A");
  REQUIRE(recommender.model().items().id(E) == "E");
  const auto results = recommend(recommender, session_of({A}), 2);
  REQUIRE(results.size() == 2);
  CHECK(results[0].item == B);
  CHECK(results[0].source == Source::next);
  CHECK(results[0].because == A);
  CHECK(results[0].score == Approx(1.0 + 0.1 * 1.0));  // next 1.0 plus related 1.0 at weight 0.1
  // E only ever appears with A in s5: a related item, at a tenth of its cosine.
  CHECK(results[1].item == E);
  CHECK(results[1].source == Source::related);
  CHECK(results[1].because == A);
  CHECK(results[1].score == Approx(0.1 / std::sqrt(3.0)));
}

TEST_CASE("The latest session item outweighs older ones by the recency decay", "[recommender]") {
  Recommender recommender(knn_model());
  SECTION("A then C: C's follower D leads, A's follower B comes second") {
    const auto results = recommend(recommender, session_of({A, C}), 3);
    REQUIRE(results.size() == 3);
    CHECK(results[0].item == D);
    CHECK(results[0].because == C);
    CHECK(results[0].score == Approx(1.1));
    CHECK(results[1].item == B);
    CHECK(results[1].because == A);
    CHECK(results[1].score == Approx(0.7 * 1.1));
    CHECK(results[2].item == E);
    CHECK(results[2].score == Approx(0.7 * 0.1 / std::sqrt(3.0)));
  }
  SECTION("C then A: the order flips") {
    const auto results = recommend(recommender, session_of({C, A}), 2);
    REQUIRE(results.size() == 2);
    CHECK(results[0].item == B);
    CHECK(results[0].because == A);
    CHECK(results[1].item == D);
    CHECK(results[1].because == C);
  }
  SECTION("max_session_items 1 keeps only the latest item") {
    Recommender latest_only(hand_model({{"max_session_items", 1}}));
    // Item 1 has one neighbour (2); item 0 has four. Only item 1's list may be used.
    const auto results = recommend(latest_only, session_of({0, 1}), 2);
    REQUIRE(results.size() == 2);
    CHECK(results[0].item == 2);
    CHECK(results[0].source == Source::next);
    CHECK(results[0].score == 0.25f);
    CHECK(results[1].source == Source::popular);
  }
}

TEST_CASE("Excluded items never appear, not even as popular fill", "[recommender]") {
  Recommender recommender(knn_model());
  const auto results = recommend(recommender, session_of({A}), 5, {B, C});
  REQUIRE(results.size() == 3);
  for (const auto& result : results) {
    CHECK(result.item != B);
    CHECK(result.item != C);
  }
  CHECK(results[0].item == E);
  SECTION("excluding every item leaves nothing") {
    const auto none = recommend(recommender, session_of({A}), 5, {A, B, C, D, E});
    CHECK(none.empty());
  }
  SECTION("exclusions outside the model are ignored") {
    const auto results_with_noise = recommend(recommender, session_of({A}), 5, {B, C, 77, 0xFFFFFFFFU});
    require_same_recommendations(results, results_with_noise);
  }
  SECTION("the next request no longer excludes them") {
    const auto again = recommend(recommender, session_of({A}), 1);
    REQUIRE(again.size() == 1);
    CHECK(again[0].item == B);
  }
}

TEST_CASE("A k larger than the candidates is filled from popularity without duplicates", "[recommender]") {
  const auto model = knn_model();
  Recommender recommender(model);
  const auto results = recommend(recommender, session_of({A}), 10);
  REQUIRE(results.size() == model->item_count());  // every item once, nothing more
  CHECK_FALSE(has_duplicates(results));
  CHECK(results[0].item == B);
  CHECK(results[1].item == E);
  // The rest follow the popular head, skipping what is already listed.
  std::vector<std::uint32_t> expected_fill;
  for (const std::uint32_t item : model->popular_head()) {
    if (item != B && item != E) expected_fill.push_back(item);
  }
  for (std::size_t index = 2; index < results.size(); ++index) {
    CHECK(results[index].item == expected_fill[index - 2]);
    CHECK(results[index].source == Source::popular);
    CHECK(results[index].because == kNoItem);
    CHECK(results[index].score == model->popularity()[results[index].item]);
  }
}

TEST_CASE("Recommendations never repeat an item", "[recommender]") {
  const auto model = knn_model();
  Recommender recommender(model);
  for (std::size_t k = 1; k <= 6; ++k) {
    for (const auto& session : {session_of({}), session_of({A}), session_of({A, B, A, B}), session_of({E, A, B, C, D}),
                                session_of({D, D, D})}) {
      const auto results = recommend(recommender, session, k);
      CHECK(results.size() == std::min<std::size_t>(k, model->item_count()));
      CHECK_FALSE(has_duplicates(results));
    }
  }
}

TEST_CASE("k must be between 1 and kMaxResults", "[recommender]") {
  Recommender recommender(knn_model());
  std::vector<Recommendation> results;
  const SessionState session = session_of({A});
  const shelfwise::Status zero = recommender.recommend(session, 0, {}, &results);
  CHECK(zero.code() == ErrorCode::invalid_argument);
  const shelfwise::Status too_many = recommender.recommend(session, shelfwise::kMaxResults + 1, {}, &results);
  CHECK(too_many.code() == ErrorCode::limit_exceeded);
  CHECK(recommender.related(A, 0, {}, &results).code() == ErrorCode::invalid_argument);
  CHECK(recommender.related(A, shelfwise::kMaxResults + 1, {}, &results).code() == ErrorCode::limit_exceeded);
  REQUIRE(recommender.recommend(session, shelfwise::kMaxResults, {}, &results).ok());
  CHECK(results.size() == 5);
}

TEST_CASE("An exclusion list above the limit fails with LIMIT_EXCEEDED", "[recommender]") {
  Recommender recommender(knn_model());
  const std::vector<std::uint32_t> exclude(shelfwise::kMaxExcluded + 1, B);
  std::vector<Recommendation> results;
  const shelfwise::Status status = recommender.recommend(session_of({A}), 5, {exclude.data(), exclude.size()}, &results);
  CHECK(status.code() == ErrorCode::limit_exceeded);
}

TEST_CASE("Session items with indices outside the model are ignored", "[recommender]") {
  Recommender recommender(knn_model());
  const auto plain = recommend(recommender, session_of({A}), 5);
  // Unknown indices neither contribute nor use up a recency step: A keeps weight 1.
  const auto noisy = recommend(recommender, session_of({A, 5, 999, 0xFFFFFFFFU}), 5);
  require_same_recommendations(plain, noisy);
  const auto only_unknown = recommend(recommender, session_of({5, 999}), 5);
  const auto empty = recommend(recommender, session_of({}), 5);
  require_same_recommendations(only_unknown, empty);
  for (const auto& result : only_unknown) CHECK(result.source == Source::popular);
}

TEST_CASE("An empty session gets the popular head", "[recommender]") {
  const auto model = knn_model();
  Recommender recommender(model);
  const auto results = recommend(recommender, session_of({}), 3);
  REQUIRE(results.size() == 3);
  for (std::size_t index = 0; index < results.size(); ++index) {
    CHECK(results[index].item == model->popular_head()[index]);
    CHECK(results[index].source == Source::popular);
    CHECK(results[index].because == kNoItem);
  }
}

TEST_CASE("Related items never include the item itself", "[recommender][related]") {
  const auto model = knn_model();
  Recommender recommender(model);
  for (std::uint32_t item = 0; item < model->item_count(); ++item) {
    for (std::size_t k = 1; k <= 6; ++k) {
      const auto results = related(recommender, item, k);
      INFO("item " << item << " k " << k);
      CHECK(results.size() == std::min<std::size_t>(k, model->item_count() - 1));
      CHECK_FALSE(has_duplicates(results));
      for (const auto& result : results) CHECK(result.item != item);
    }
  }
}

TEST_CASE("Related items come from the symmetric list first, then popularity", "[recommender][related]") {
  const auto model = knn_model();
  Recommender recommender(model);
  SECTION("A: B then E") {
    const auto results = related(recommender, A, 2);
    REQUIRE(results.size() == 2);
    CHECK(results[0].item == B);
    CHECK(results[0].source == Source::related);
    CHECK(results[0].because == A);
    CHECK(results[1].item == E);
    CHECK(results[1].source == Source::related);
    CHECK(results[0].score > results[1].score);
  }
  SECTION("E: A and B tie, so A (the lower index) comes first") {
    const auto results = related(recommender, E, 2);
    REQUIRE(results.size() == 2);
    CHECK(results[0].item == A);
    CHECK(results[1].item == B);
    CHECK(results[0].score == results[1].score);
  }
  SECTION("directional neighbours fill in below every symmetric one") {
    Recommender hand(hand_model());  // no related lists at all
    const auto results = related(hand, 0, 5);
    REQUIRE(results.size() == 5);
    CHECK(items_of(results) == std::vector<std::uint32_t>{1, 3, 4, 5, 2});
    for (std::size_t index = 0; index < 4; ++index) {
      CHECK(results[index].source == Source::next);
      CHECK(results[index].score < 1.0f);
    }
    CHECK(results[4].source == Source::popular);
  }
  SECTION("an excluded related item is skipped") {
    const auto results = related(recommender, A, 1, {B});
    REQUIRE(results.size() == 1);
    CHECK(results[0].item == E);
  }
}

TEST_CASE("Related for an index outside the model fails with UNKNOWN_ITEM", "[recommender][related]") {
  Recommender recommender(knn_model());
  std::vector<Recommendation> results;
  CHECK(recommender.related(5, 3, {}, &results).code() == ErrorCode::unknown_item);
  CHECK(recommender.related(0xFFFFFFFFU, 3, {}, &results).code() == ErrorCode::unknown_item);
  CHECK_THAT(recommender.related(7, 3, {}, &results).message(), Catch::Contains("7"));
}

TEST_CASE("A pop model recommends by popularity whatever the session", "[recommender]") {
  const auto model = pop_model();
  Recommender recommender(model);
  // File order is the clock: B (three late views) is the most popular, E (one view) the least.
  REQUIRE(model->items().id(model->popular_head()[0]) == "B");
  for (const auto& session : {session_of({}), session_of({A}), session_of({C, D})}) {
    const auto results = recommend(recommender, session, 5);
    REQUIRE(results.size() == 5);
    for (std::size_t index = 0; index < results.size(); ++index) {
      CHECK(results[index].item == model->popular_head()[index]);
      CHECK(results[index].source == Source::popular);
      CHECK(results[index].because == kNoItem);
      CHECK(results[index].score == model->popularity()[results[index].item]);
      if (index > 0) CHECK(results[index - 1].score >= results[index].score);
    }
  }
  std::vector<Recommendation> results;
  REQUIRE(recommender.related(A, 4, {}, &results).ok());
  CHECK(std::find_if(results.begin(), results.end(), [](const Recommendation& r) { return r.item == A; }) == results.end());
}

TEST_CASE("Equal scores rank by item index, whatever the order of the stored list", "[recommender][top_k]") {
  Recommender recommender(hand_model());
  // Item 0's list is [5, 3, 1, 4] at 0.5 each (and 2 is not in it).
  const auto results = recommend(recommender, session_of({0}), 4);
  CHECK(items_of(results) == std::vector<std::uint32_t>{1, 3, 4, 5});
  const auto top_two = recommend(recommender, session_of({0}), 2);
  CHECK(items_of(top_two) == std::vector<std::uint32_t>{1, 3});
}

TEST_CASE("Scored candidates come out by score descending, then index ascending", "[recommender][top_k]") {
  Recommender recommender(knn_model());
  for (const auto& session : {session_of({A, C}), session_of({E, A}), session_of({C, E, A, D})}) {
    const auto results = recommend(recommender, session, 5);
    for (std::size_t index = 1; index < results.size(); ++index) {
      if (results[index].source == Source::popular) break;  // the fill follows the popular head
      const auto& before = results[index - 1];
      const auto& after = results[index];
      CHECK((before.score > after.score || (before.score == after.score && before.item < after.item)));
    }
  }
}

TEST_CASE("Results are identical across instances and repeated calls", "[recommender]") {
  const std::vector<SessionState> sessions{session_of({A}),       session_of({C}),    session_of({A, C}),
                                           session_of({E, A, B}), session_of({}),     session_of({D, C}),
                                           session_of({A}),       session_of({B, E})};
  Recommender reused(knn_model());
  for (const auto& session : sessions) {
    const auto first = recommend(reused, session, 4);
    const auto repeated = recommend(reused, session, 4);
    Recommender fresh(knn_model());
    const auto from_fresh = recommend(fresh, session, 4);
    require_same_recommendations(first, repeated);
    require_same_recommendations(first, from_fresh);
    // Interleave related() calls: they share the scratch memory.
    (void)related(reused, E, 3, {A});
  }
}

TEST_CASE("An exclusion does not come back when the 16-bit request stamp wraps around", "[recommender]") {
  // The first request stamps B as excluded with stamp 1; requests for C never touch B again. The
  // 65,536th request wraps the stamp back to 1: unless the arrays were reset then, B would read as
  // excluded. The neighbouring counts cover an off-by-one in where the wrap falls.
  for (const std::uint32_t requests_between : {65533U, 65534U, 65535U}) {
    Recommender recommender(knn_model());
    (void)recommend(recommender, session_of({A}), 5, {B});
    for (std::uint32_t request = 0; request < requests_between; ++request) {
      const auto filler = recommend(recommender, session_of({C}), 1);
      REQUIRE(filler.size() == 1);
      REQUIRE(filler[0].item == D);
    }
    const auto after = recommend(recommender, session_of({A}), 1);
    REQUIRE(after.size() == 1);
    CHECK(after[0].item == B);
  }
}

TEST_CASE("Scores do not leak from one request into the next", "[recommender]") {
  Recommender recommender(knn_model());
  (void)recommend(recommender, session_of({A}), 5);
  // C's lists name only D; B and E were scored for A in the previous call.
  const auto results = recommend(recommender, session_of({C}), 2);
  REQUIRE(results.size() == 2);
  CHECK(results[0].item == D);
  CHECK(results[0].score == Approx(1.1));
  CHECK(results[1].source == Source::popular);
}
