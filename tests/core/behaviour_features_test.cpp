// Behaviour features on a four-item catalogue, every value computed by hand:
//   A shoes 100, B shoes 50, C books 10, D books 20  (categories sorted: books = 0, shoes = 1;
//   lower medians: shoes 50, books 10)
//   visit 1: A view @1000, B cart @1100; two days later, visit 2: C view @173800, C purchase @173900
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "shelfwise/affinities.hpp"
#include "shelfwise/behaviour_features.hpp"
#include "shelfwise/recommender.hpp"
#include "test_support.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace {

using shelfwise::BehaviourContext;
using shelfwise::BehaviourEvent;
using shelfwise::Device;
using shelfwise::EventType;

constexpr std::uint32_t A = 0, B = 1, C = 2, D = 3;

std::shared_ptr<const shelfwise::Model> catalog_model() {
  static const auto model = shelfwise::testing::load_model(shelfwise::testing::train_bundle_with_catalog(
      "session_id,user_id,item_id,timestamp,event\ns1,,A,1,\ns1,,B,2,\ns2,,C,3,\ns2,,D,4,\n",
      "item_id,category,price,title,available\nA,shoes,100,Boot,1\nB,shoes,50,Sandal,1\nC,books,10,Novel,1\nD,books,20,Atlas,1\n"));
  return model;
}

const std::vector<BehaviourEvent> kEvents = {
    {A, EventType::view, 1000.0}, {B, EventType::cart, 1100.0}, {C, EventType::view, 173800.0}, {C, EventType::purchase, 173900.0}};

std::vector<float> compute(const std::vector<BehaviourEvent>& events, const BehaviourContext& context) {
  const auto& features = catalog_model()->behaviour().features();
  std::vector<float> out(features.size());
  const auto status = features.compute({events.data(), events.size()}, context, out.data());
  REQUIRE(status.ok());
  return out;
}

float feature(const std::vector<float>& values, const std::string& name) {
  const auto& names = catalog_model()->behaviour().features().names();
  for (std::size_t index = 0; index < names.size(); ++index) {
    if (names[index] == name) return values[index];
  }
  FAIL("no feature " << name);
  return 0.0f;
}

}  // namespace

TEST_CASE("feature names: one share per category, then the fixed features") {
  const auto& names = catalog_model()->behaviour().features().names();
  REQUIRE(names.size() == 2 + 16);
  CHECK(names[0] == "category.books");
  CHECK(names[1] == "category.shoes");
  CHECK(names[2] == "price.log_mean");
  CHECK(names.back() == "time.hour_cos");
}

TEST_CASE("features inside the second visit, by hand") {
  BehaviourContext context;
  context.now = 174000.0;
  context.local_hour = 6.0;
  context.device = Device::tablet;
  const auto values = compute(kEvents, context);

  CHECK(feature(values, "category.books") == Approx(0.5));
  CHECK(feature(values, "category.shoes") == Approx(0.5));
  CHECK(feature(values, "price.log_mean") == Approx((std::log(101.0) + std::log(51.0) + 2 * std::log(11.0)) / 4));
  CHECK(feature(values, "price.relative") == Approx((std::log(101.0) - std::log(51.0)) / 4));
  CHECK(feature(values, "recency.log_days") == Approx(std::log1p((174000.0 - 1100.0) / 86400.0)));
  CHECK(feature(values, "frequency.log_visits") == Approx(std::log(3.0)));
  CHECK(feature(values, "frequency.log_events") == Approx(std::log(5.0)));
  CHECK(feature(values, "visit.log_events") == Approx(std::log(3.0)));
  CHECK(feature(values, "visit.log_minutes") == Approx(std::log1p(200.0 / 60.0)));
  CHECK(feature(values, "visit.cart_ratio") == 0.0f);
  CHECK(feature(values, "ratio.cart") == Approx(0.25));
  CHECK(feature(values, "ratio.purchase") == Approx(0.25));
  CHECK(feature(values, "history.purchase_visits") == 0.0f);
  CHECK(feature(values, "device.desktop") == 0.0f);
  CHECK(feature(values, "device.mobile") == 0.0f);
  CHECK(feature(values, "device.tablet") == 1.0f);
  CHECK(feature(values, "time.hour_sin") == Approx(1.0));
  CHECK(feature(values, "time.hour_cos") == Approx(0.0).margin(1e-6));
}

TEST_CASE("features after the visit ended: a new, empty visit; unknown device and hour are NaN") {
  BehaviourContext context;
  context.now = 173900.0 + 3600.0;
  const auto values = compute(kEvents, context);

  CHECK(feature(values, "frequency.log_visits") == Approx(std::log(4.0)));
  CHECK(feature(values, "visit.log_events") == 0.0f);
  CHECK(std::isnan(feature(values, "visit.cart_ratio")));
  CHECK(feature(values, "history.purchase_visits") == Approx(0.5));
  CHECK(feature(values, "recency.log_days") == Approx(std::log1p(3600.0 / 86400.0)));
  CHECK(std::isnan(feature(values, "device.mobile")));
  CHECK(std::isnan(feature(values, "time.hour_sin")));
}

TEST_CASE("the window: future events and events older than history_days do not count; a new shopper") {
  BehaviourContext context;
  context.now = 1100.0;  // only visit 1 has happened
  auto values = compute(kEvents, context);
  CHECK(feature(values, "category.shoes") == 1.0f);
  CHECK(std::isnan(feature(values, "recency.log_days")));
  CHECK(std::isnan(feature(values, "history.purchase_visits")));
  context.now = 173900.0 + 91 * 86400.0;  // everything is older than 90 days
  values = compute(kEvents, context);
  CHECK(std::isnan(feature(values, "category.books")));
  CHECK(std::isnan(feature(values, "price.log_mean")));
  CHECK(feature(values, "frequency.log_events") == 0.0f);
  CHECK(feature(values, "frequency.log_visits") == Approx(std::log(2.0)));
}

TEST_CASE("unknown items count for frequency but not for categories or prices") {
  BehaviourContext context;
  context.now = 2000.0;
  const auto values = compute({{shelfwise::kNoItem, EventType::view, 1000.0}, {A, EventType::view, 1500.0}}, context);
  CHECK(feature(values, "category.shoes") == 1.0f);
  CHECK(feature(values, "frequency.log_events") == Approx(std::log(3.0)));
  CHECK(feature(values, "price.log_mean") == Approx(std::log(101.0)));
}

TEST_CASE("bad input: events out of order, non-finite times, too many events") {
  const auto& features = catalog_model()->behaviour().features();
  std::vector<float> out(features.size());
  BehaviourContext context;
  context.now = 5000.0;
  std::vector<BehaviourEvent> unordered = {{A, EventType::view, 2000.0}, {B, EventType::view, 1000.0}};
  CHECK(features.compute({unordered.data(), unordered.size()}, context, out.data()).code() == shelfwise::ErrorCode::invalid_argument);
  std::vector<BehaviourEvent> infinite = {{A, EventType::view, INFINITY}};
  CHECK(features.compute({infinite.data(), infinite.size()}, context, out.data()).code() == shelfwise::ErrorCode::invalid_argument);
  context.now = NAN;
  CHECK(features.compute({}, context, out.data()).code() == shelfwise::ErrorCode::invalid_argument);
  std::vector<BehaviourEvent> many(shelfwise::kMaxBehaviourEvents + 1, {A, EventType::view, 1.0});
  context.now = 5000.0;
  CHECK(features.compute({many.data(), many.size()}, context, out.data()).code() == shelfwise::ErrorCode::limit_exceeded);
}

TEST_CASE("affinities: decayed weights by category and price level") {
  const auto& features = catalog_model()->behaviour().features();
  shelfwise::Affinities affinities;
  shelfwise::AffinityOptions options;
  options.half_life_days = 1.0;
  const double now = 173900.0;
  REQUIRE(shelfwise::compute_affinities(features, {kEvents.data(), kEvents.size()}, now, options, &affinities).ok());

  const double a = std::exp2(-(now - 1000.0) / 86400.0), b = 3.0 * std::exp2(-(now - 1100.0) / 86400.0);
  const double c = std::exp2(-100.0 / 86400.0) + 5.0;
  CHECK(affinities.categories[1] == Approx(a + b));  // shoes
  CHECK(affinities.categories[0] == Approx(c));      // books
  // A is ln(101/51) = 0.68 above the shoes median: premium; B and C sit on their medians: mid.
  CHECK(affinities.price_levels[2] == Approx(a));
  CHECK(affinities.price_levels[1] == Approx(b + c));
  CHECK(affinities.price_levels[0] == 0.0);
  CHECK(affinities.events == 4);
  const auto json = shelfwise::to_nlohmann(shelfwise::affinities_json(features, affinities, options));
  CHECK(json["categories"][0]["category"] == "books");
  CHECK(json["categories"][0]["share"].get<double>() == Approx(c / (a + b + c)));
  CHECK(json["priceLevels"].size() == 2);  // budget has no weight
  options.half_life_days = 0.0;
  CHECK(shelfwise::compute_affinities(features, {}, now, options, &affinities).code() == shelfwise::ErrorCode::invalid_argument);
}
