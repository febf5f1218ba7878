// evaluate_next_item on a hand-built model whose rankings are known:
//   items A B C D E; "next": A -> B 1.0, C 0.5; no related lists;
//   popularity D 1.0, E 0.5, A 0.2, B 0.1, C 0 (head D E A B C).
// So after a session ending in A the top 2 is [B, C]; after one that only knows B it is [D, E].
#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluation/next_item_evaluation.hpp"
#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/recommender.hpp"
#include "shelfwise/string_table.hpp"
#include "test_support.hpp"

namespace {

using shelfwise::evaluation::evaluate_next_item;
using shelfwise::evaluation::NextItemMetrics;
using shelfwise::evaluation::NextItemOptions;

std::shared_ptr<const shelfwise::Model> known_model() {
  static const auto model = [] {
    shelfwise::BundleWriter writer(5, {{"model", {{"kind", "itemknn"}, {"version", "eval-fixture"}}}});
    shelfwise::add_string_table(writer, "items", {"A", "B", "C", "D", "E"});
    writer.add_vector("popularity", shelfwise::DType::f32, std::vector<float>{0.2f, 0.1f, 0.0f, 1.0f, 0.5f});
    writer.add_vector("popularity.head", shelfwise::DType::u32, std::vector<std::uint32_t>{3, 4, 0, 1, 2});
    writer.add_vector("knn.next.offsets", shelfwise::DType::u32, std::vector<std::uint32_t>{0, 2, 2, 2, 2, 2});
    writer.add_vector("knn.next.indices", shelfwise::DType::u32, std::vector<std::uint32_t>{1, 2});
    writer.add_vector("knn.next.weights", shelfwise::DType::f32, std::vector<float>{1.0f, 0.5f});
    writer.add_vector("knn.related.offsets", shelfwise::DType::u32, std::vector<std::uint32_t>{0, 0, 0, 0, 0, 0});
    writer.add_vector("knn.related.indices", shelfwise::DType::u32, std::vector<std::uint32_t>{});
    writer.add_vector("knn.related.weights", shelfwise::DType::f32, std::vector<float>{});
    return shelfwise::testing::load_model(writer.serialize());
  }();
  return model;
}

// s1: B after [A] -> rank 1.        s2: C after [A] -> rank 2.
// s3: Z is unknown to the model -> a miss.
// s4: D after [A] -> rank 3 (beyond k = 2).
// s5: A after [B] -> rank 3 (pop fill D E A); C after [B, A] -> rank 2.
// s6: a single click makes no prediction.
const char* const kTestLog =
    "session_id,user_id,item_id,timestamp,event\n"
    "s1,,A,,\ns1,,B,,\n"
    "s2,,A,,\ns2,,C,,\n"
    "s3,,A,,\ns3,,Z,,\n"
    "s4,,A,,\ns4,,D,,\n"
    "s5,,B,,\ns5,,A,,\ns5,,C,,\n"
    "s6,,E,,\n";

NextItemMetrics evaluate(const std::shared_ptr<const shelfwise::Model>& model, const std::string& csv, std::size_t k,
                         unsigned threads = 1) {
  const auto log = shelfwise::testing::parse_log(csv);
  auto metrics = evaluate_next_item(model, log, NextItemOptions{k, threads});
  REQUIRE(metrics.ok());
  return metrics.value();
}

}  // namespace

TEST_CASE("Recall, MRR and coverage at 2 match the hand computation", "[evaluation]") {
  const NextItemMetrics metrics = evaluate(known_model(), kTestLog, 2);
  CHECK(metrics.k == 2);
  CHECK(metrics.sessions == 6);
  CHECK(metrics.predictions == 6);
  CHECK(metrics.recall == Approx(3.0 / 6.0));                // s1, s2, s5 (second)
  CHECK(metrics.mrr == Approx((1.0 + 0.5 + 0.5) / 6.0));     // ranks 1, 2, 2
  CHECK(metrics.coverage == Approx(4.0 / 5.0));              // B, C, D, E were listed; A never
  CHECK(metrics.ms_per_prediction >= 0.0);
}

TEST_CASE("A larger k turns rank-3 targets into hits", "[evaluation]") {
  const NextItemMetrics metrics = evaluate(known_model(), kTestLog, 3);
  CHECK(metrics.predictions == 6);
  CHECK(metrics.recall == Approx(5.0 / 6.0));  // only the unknown Z misses
  CHECK(metrics.mrr == Approx((1.0 + 0.5 + 1.0 / 3.0 + 1.0 / 3.0 + 0.5) / 6.0));
  CHECK(metrics.coverage == Approx(1.0));
}

TEST_CASE("A rank-2 target scores 0.5 in MRR", "[evaluation]") {
  const NextItemMetrics metrics = evaluate(known_model(), "session_id,user_id,item_id,timestamp,event\ns,,A,,\ns,,C,,\n", 20);
  CHECK(metrics.predictions == 1);
  CHECK(metrics.recall == 1.0);
  CHECK(metrics.mrr == 0.5);
}

TEST_CASE("Targets unknown to the model are misses, and unknown clicks add no context", "[evaluation]") {
  // Z and Y are not in the model. Predictions: A given [Z] (pop D E A B C: rank 3),
  // Y given [Z, A] (miss), B given [Z, A, Y] (A is still the latest known item: rank 1).
  const NextItemMetrics metrics =
      evaluate(known_model(), "session_id,user_id,item_id,timestamp,event\ns,,Z,,\ns,,A,,\ns,,Y,,\ns,,B,,\n", 5);
  CHECK(metrics.predictions == 3);
  CHECK(metrics.recall == Approx(2.0 / 3.0));
  CHECK(metrics.mrr == Approx((1.0 / 3.0 + 1.0) / 3.0));
}

TEST_CASE("Every prefix of every session is one prediction", "[evaluation]") {
  std::string csv = "session_id,user_id,item_id,timestamp,event\n";
  const std::size_t lengths[] = {1, 2, 5, 9, 1, 3};
  std::size_t expected = 0;
  for (std::size_t session = 0; session < std::size(lengths); ++session) {
    for (std::size_t click = 0; click < lengths[session]; ++click) {
      csv += "s" + std::to_string(session) + ",," + std::string(1, static_cast<char>('A' + click % 5)) + ",,\n";
    }
    expected += lengths[session] - 1;
  }
  const NextItemMetrics metrics = evaluate(known_model(), csv, 20);
  CHECK(metrics.sessions == std::size(lengths));
  CHECK(metrics.predictions == expected);
  // All five items fit in a top 20: every known target is a hit.
  CHECK(metrics.recall == 1.0);
}

TEST_CASE("Metrics are identical for one, two and three threads", "[evaluation]") {
  // A log with structure and noise, and a model trained on half of it.
  std::mt19937 random(5);
  std::string train = "session_id,user_id,item_id,timestamp,event\n";
  std::string test = train;
  for (int session = 0; session < 400; ++session) {
    std::string& out = session % 2 == 0 ? train : test;
    const int length = 2 + static_cast<int>(random() % 6);
    int item = static_cast<int>(random() % 40);
    for (int click = 0; click < length; ++click) {
      out += "s" + std::to_string(session) + ",,I" + std::to_string(item) + ",,\n";
      item = random() % 4 == 0 ? static_cast<int>(random() % 40) : (item + 1) % 40;
    }
  }
  const auto model = shelfwise::testing::load_model(shelfwise::testing::train_bundle(train));
  const NextItemMetrics one = evaluate(model, test, 10, 1);
  const NextItemMetrics two = evaluate(model, test, 10, 2);
  const NextItemMetrics three = evaluate(model, test, 10, 3);
  REQUIRE(one.predictions > 500);
  CHECK(one.recall > 0.3);  // the structure was learnt
  for (const NextItemMetrics* other : {&two, &three}) {
    CHECK(other->predictions == one.predictions);
    CHECK(other->sessions == one.sessions);
    CHECK(other->recall == one.recall);
    CHECK(other->mrr == one.mrr);
    CHECK(other->coverage == one.coverage);
  }
}

TEST_CASE("k outside 1..kMaxResults fails with INVALID_ARGUMENT", "[evaluation]") {
  const auto log = shelfwise::testing::parse_log(kTestLog);
  for (const std::size_t k : {std::size_t{0}, shelfwise::kMaxResults + 1}) {
    auto metrics = evaluate_next_item(known_model(), log, NextItemOptions{k, 1});
    REQUIRE_FALSE(metrics.ok());
    CHECK(metrics.status().code() == shelfwise::ErrorCode::invalid_argument);
  }
}

TEST_CASE("A log with no predictions gives zero metrics, not NaN", "[evaluation]") {
  const NextItemMetrics metrics = evaluate(known_model(), "session_id,user_id,item_id,timestamp,event\ns,,A,,\n", 5);
  CHECK(metrics.predictions == 0);
  CHECK(metrics.recall == 0.0);
  CHECK(metrics.mrr == 0.0);
  CHECK(metrics.coverage == 0.0);
}
