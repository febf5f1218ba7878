// train_popularity: time-decayed, event-weighted counts scaled so the top item scores 1;
// popular_head: the most popular indices, ties by index.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "training/popularity_trainer.hpp"

namespace {

using shelfwise::training::popular_head;
using shelfwise::training::PopularityOptions;
using shelfwise::training::train_popularity;

const char* const kHeader = "session_id,user_id,item_id,timestamp,event\n";
constexpr long long kDay = 86400;

std::string row(const std::string& session, const std::string& item, long long timestamp, const char* event = "view") {
  return session + ",," + item + "," + std::to_string(timestamp) + "," + event + "\n";
}

}  // namespace

TEST_CASE("An event one half-life before the last counts half", "[popularity]") {
  const long long end = 1'700'000'000;
  const auto log = shelfwise::testing::parse_log(std::string(kHeader) + row("s1", "A", end - 14 * kDay) +
                                                 row("s2", "B", end));
  const auto scores = train_popularity(log, 2, {});
  REQUIRE(scores.size() == 2);
  CHECK(scores[1] == 1.0f);
  CHECK(scores[0] == Approx(0.5).epsilon(1e-5));
}

TEST_CASE("Older events weigh less, following the half-life", "[popularity]") {
  const long long end = 1'700'000'000;
  // A: one event 7 days old; B: one event 28 days old; C: now. Half-life 7 days.
  const auto log = shelfwise::testing::parse_log(std::string(kHeader) + row("s1", "A", end - 7 * kDay) +
                                                 row("s2", "B", end - 28 * kDay) + row("s3", "C", end));
  PopularityOptions options;
  options.half_life_days = 7.0;
  const auto scores = train_popularity(log, 3, options);
  CHECK(scores[2] == 1.0f);
  CHECK(scores[0] == Approx(0.5).epsilon(1e-5));
  CHECK(scores[1] == Approx(1.0 / 16.0).epsilon(1e-5));
}

TEST_CASE("A recent item outranks one with more but older events", "[popularity]") {
  const long long end = 1'700'000'000;
  std::string text = kHeader;
  for (int index = 0; index < 3; ++index) text += row("old" + std::to_string(index), "OLD", end - 60 * kDay);
  text += row("new1", "NEW", end - kDay) + row("new2", "NEW", end);
  const auto log = shelfwise::testing::parse_log(text);
  const auto scores = train_popularity(log, 2, {});
  CHECK(scores[1] == 1.0f);  // NEW
  CHECK(scores[0] < 0.2f);   // 3 events at 2^(-60/14) each, against about 2
}

TEST_CASE("Carts and purchases count more than views", "[popularity]") {
  const long long now = 1'700'000'000;
  const auto log = shelfwise::testing::parse_log(std::string(kHeader) + row("s1", "V", now, "view") +
                                                 row("s1", "C", now, "cart") + row("s1", "P", now, "purchase"));
  SECTION("default weights 1, 3, 5") {
    const auto scores = train_popularity(log, 3, {});
    CHECK(scores[2] == 1.0f);
    CHECK(scores[1] == Approx(3.0 / 5.0));
    CHECK(scores[0] == Approx(1.0 / 5.0));
  }
  SECTION("custom weights") {
    PopularityOptions options;
    options.view_weight = 2.0f;
    options.cart_weight = 1.0f;
    options.purchase_weight = 0.5f;
    const auto scores = train_popularity(log, 3, options);
    CHECK(scores[0] == 1.0f);
    CHECK(scores[1] == Approx(0.5));
    CHECK(scores[2] == Approx(0.25));
  }
}

TEST_CASE("Scores peak at exactly 1 and unseen items score 0", "[popularity]") {
  const auto log = shelfwise::testing::parse_log(std::string(kHeader) + row("s1", "A", 100) + row("s1", "B", 200) +
                                                 row("s2", "B", 300) + row("s2", "C", 400));
  const auto scores = train_popularity(log, 5, {});  // two catalogue items never seen
  REQUIRE(scores.size() == 5);
  float peak = 0.0f;
  for (const float score : scores) {
    CHECK(score >= 0.0f);
    CHECK(score <= 1.0f);
    peak = std::max(peak, score);
  }
  CHECK(peak == 1.0f);
  CHECK(scores[1] == 1.0f);  // B: two events
  CHECK(scores[3] == 0.0f);
  CHECK(scores[4] == 0.0f);
}

TEST_CASE("Without timestamps the file order is the clock", "[popularity]") {
  // Eight events; the half-life is a quarter of them, so the weight halves every two events back.
  const auto log = shelfwise::testing::parse_log(
      "session_id,user_id,item_id,timestamp,event\n"
      "s1,,A,,\ns1,,A,,\ns1,,A,,\ns1,,A,,\n"
      "s2,,F,,\ns2,,F,,\ns2,,L,,\ns2,,L,,\n");
  REQUIRE_FALSE(log.has_timestamps);
  const auto scores = train_popularity(log, 3, {});
  // L is last: the most popular despite A's four events.
  CHECK(scores[2] == 1.0f);
  CHECK(scores[1] < scores[2]);
  CHECK(scores[0] < scores[1]);
  // L ages 2,1; F ages 4,3: F/L = 2^(-1) exactly.
  CHECK(scores[1] == Approx(0.25 * (std::pow(2.0, -1.5) + std::pow(2.0, -2.0)) /
                            (0.25 * (std::pow(2.0, -0.5) + std::pow(2.0, -1.0)))));
}

TEST_CASE("An empty log scores every item 0", "[popularity]") {
  const auto log = shelfwise::testing::parse_log(kHeader);
  const auto scores = train_popularity(log, 3, {});
  CHECK(scores == std::vector<float>{0.0f, 0.0f, 0.0f});
}

TEST_CASE("popular_head orders by score descending, ties by index", "[popularity]") {
  const std::vector<float> scores{0.5f, 1.0f, 0.5f, 0.2f, 1.0f, 0.0f};
  CHECK(popular_head(scores, 6) == std::vector<std::uint32_t>{1, 4, 0, 2, 3, 5});
  CHECK(popular_head(scores, 3) == std::vector<std::uint32_t>{1, 4, 0});
  CHECK(popular_head(scores, 100).size() == 6);
  CHECK(popular_head(scores, 0).empty());
  CHECK(popular_head({}, 5).empty());
}
