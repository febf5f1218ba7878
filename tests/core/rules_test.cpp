// Parsing the rules JSON: every bad value is INVALID_ARGUMENT naming its field, limits are
// LIMIT_EXCEEDED, text that is not JSON is PARSE_ERROR, and hostile input never aborts.
#include "shelfwise/rules.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "ranking_fixture.hpp"

namespace {

using shelfwise::ErrorCode;
using shelfwise::parse_rules;

struct BadRules {
  std::string json;
  ErrorCode code;
  const char* mentions;
};

}  // namespace

TEST_CASE("well-formed rules are read into indices", "[rules]") {
  const auto model = shelfwise::testing::ranking_model();
  const char* json = R"({
    "filter": {"categories": ["audio", "books", "toys"], "exclude_categories": ["cameras"],
               "price": {"min": 5, "max": 30}, "available": true},
    "exclude": {"purchased": false, "in_cart": true, "items": ["A1", "NOT-AN-ITEM", "A1"]},
    "boost": [{"categories": ["books"], "factor": 2}, {"price": {"max": 10}, "available": true, "factor": 0.5},
              {"items": ["C2"], "factor": 3}],
    "pin": [{"item": "C2", "position": 3}, {"item": "B2", "position": 1}, {"item": "UNKNOWN", "position": 2}],
    "max_per_category": 2,
    "diversity": {"lambda": 0.7},
    "weights": {"popular": 0.0, "page": 2}
  })";
  auto parsed = parse_rules(json, *model);
  REQUIRE(parsed.ok());
  const auto& rules = parsed.value();
  REQUIRE(rules.has_filter());
  REQUIRE(rules.include_categories.size() == model->catalog()->category_count());
  REQUIRE(rules.price_min == 5.0);
  REQUIRE(rules.price_max == 30.0);
  REQUIRE(rules.available == true);
  REQUIRE(rules.exclude_purchased == false);
  REQUIRE(rules.exclude_in_cart == true);
  REQUIRE(rules.exclude_items == std::vector<std::uint32_t>{*model->items().find("A1")});
  REQUIRE(rules.boosts.size() == 3);
  REQUIRE(rules.boosts[0].factor == 2.0);
  // Pins of unknown items are dropped; the rest are in position order, 0-based.
  REQUIRE(rules.pins.size() == 2);
  REQUIRE(rules.pins[0].item == *model->items().find("B2"));
  REQUIRE(rules.pins[0].position == 0);
  REQUIRE(rules.pins[1].position == 2);
  REQUIRE(rules.max_per_category == 2);
  REQUIRE(rules.diversity_lambda == 0.7);
  REQUIRE(rules.weights[static_cast<std::size_t>(shelfwise::CandidateSourceId::popular)] == 0.0);
  REQUIRE(rules.weights[static_cast<std::size_t>(shelfwise::CandidateSourceId::page)] == 2.0);
  REQUIRE_FALSE(rules.weights[static_cast<std::size_t>(shelfwise::CandidateSourceId::session)].has_value());

  REQUIRE(parse_rules("", *model).ok());
  REQUIRE(parse_rules("{}", *model).ok());
  REQUIRE_FALSE(parse_rules("{}", *model).value().has_filter());
}

TEST_CASE("bad rules fail with a stable code that names the field", "[rules]") {
  const auto model = shelfwise::testing::ranking_model();
  const std::string many_items = [] {
    std::string list = "[";
    for (int index = 0; index <= 10000; ++index) list += index ? ",\"a\"" : "\"a\"";
    return list + "]";
  }();
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  const BadRules cases[] = {
      {"not json", ErrorCode::parse_error, "not valid JSON"},
      {"{\"filter\": ", ErrorCode::parse_error, "not valid JSON"},
      {"[1, 2]", ErrorCode::invalid_argument, "JSON object"},
      {"{\"filtr\": {}}", ErrorCode::invalid_argument, "'filtr'"},
      {R"({"filter": []})", ErrorCode::invalid_argument, "'filter'"},
      {R"({"filter": {"categories": "audio"}})", ErrorCode::invalid_argument, "'filter.categories'"},
      {R"({"filter": {"categories": [1]}})", ErrorCode::invalid_argument, "'filter.categories'"},
      {R"({"filter": {"price": {"min": 30, "max": 5}}})", ErrorCode::invalid_argument, "'filter.price'"},
      {R"({"filter": {"price": {"min": -1}}})", ErrorCode::invalid_argument, "'filter.price.min'"},
      {R"({"filter": {"price": {"max": "10"}}})", ErrorCode::invalid_argument, "'filter.price.max'"},
      {R"({"filter": {"price": {"lo": 1}}})", ErrorCode::invalid_argument, "'filter.price.lo'"},
      {R"({"filter": {"available": "yes"}})", ErrorCode::invalid_argument, "'filter.available'"},
      {R"({"exclude": {"purchased": 1}})", ErrorCode::invalid_argument, "'exclude.purchased'"},
      {R"({"exclude": {"items": "A1"}})", ErrorCode::invalid_argument, "'exclude.items'"},
      {R"({"boost": {"factor": 2}})", ErrorCode::invalid_argument, "'boost'"},
      {R"({"boost": [{"categories": ["audio"]}]})", ErrorCode::invalid_argument, "'boost[0].factor'"},
      {R"({"boost": [{"categories": ["audio"], "factor": 0}]})", ErrorCode::invalid_argument, "'boost[0].factor'"},
      {R"({"boost": [{"categories": ["audio"], "factor": 1000}]})", ErrorCode::invalid_argument, "'boost[0].factor'"},
      {R"({"boost": [{"factor": 2}]})", ErrorCode::invalid_argument, "'boost[0]'"},
      {R"({"boost": [{"category": "audio", "factor": 2}]})", ErrorCode::invalid_argument, "'boost[0].category'"},
      {R"({"pin": [{"item": "A1"}]})", ErrorCode::invalid_argument, "'pin[0].position'"},
      {R"({"pin": [{"item": "A1", "position": 0}]})", ErrorCode::invalid_argument, "'pin[0].position'"},
      {R"({"pin": [{"item": "A1", "position": 1.5}]})", ErrorCode::invalid_argument, "'pin[0].position'"},
      {R"({"pin": [{"item": 7, "position": 1}]})", ErrorCode::invalid_argument, "'pin[0].item'"},
      {R"({"pin": [{"item": "A1", "position": 1}, {"item": "A2", "position": 1}]})", ErrorCode::invalid_argument, "'pin[1].position'"},
      {R"({"pin": [{"item": "A1", "position": 1}, {"item": "A1", "position": 2}]})", ErrorCode::invalid_argument, "'pin[1].item'"},
      {R"({"pin": [{"item": "A1", "position": 5000}]})", ErrorCode::limit_exceeded, "'pin[0].position'"},
      {R"({"max_per_category": 0})", ErrorCode::invalid_argument, "'max_per_category'"},
      {R"({"max_per_category": 2.5})", ErrorCode::invalid_argument, "'max_per_category'"},
      {R"({"max_per_category": "2"})", ErrorCode::invalid_argument, "'max_per_category'"},
      {R"({"diversity": {"lambda": 1.5}})", ErrorCode::invalid_argument, "'diversity.lambda'"},
      {R"({"diversity": {}})", ErrorCode::invalid_argument, "'diversity.lambda'"},
      {R"({"weights": {"session": -2}})", ErrorCode::invalid_argument, "'weights.session'"},
      {R"({"weights": {"sessions": 1}})", ErrorCode::invalid_argument, "'weights.sessions'"},
      {R"({"weights": {"session": 1e400}})", ErrorCode::parse_error, "not valid JSON"},
      {"{\"exclude\": {\"items\": " + many_items + "}}", ErrorCode::limit_exceeded, "'exclude.items'"},
      {deep, ErrorCode::limit_exceeded, "nests deeper"},
      {"{\"pad\": \"" + std::string(70000, 'x') + "\"}", ErrorCode::limit_exceeded, "bytes"},
  };
  for (const BadRules& bad : cases) {
    INFO(bad.json.substr(0, 120));
    auto parsed = parse_rules(bad.json, *model);
    REQUIRE_FALSE(parsed.ok());
    REQUIRE(parsed.status().code() == bad.code);
    REQUIRE_THAT(parsed.status().message(), Catch::Contains(bad.mentions));
  }
}

TEST_CASE("brackets inside strings do not count as nesting, and attribute rules need a catalogue", "[rules]") {
  const auto model = shelfwise::testing::ranking_model();
  REQUIRE(parse_rules(R"({"exclude": {"items": [")" + std::string(100, '[') + R"("]}})", *model).ok());
  const auto bare = shelfwise::testing::load_model(shelfwise::testing::train_bundle(shelfwise::testing::ranking_events()));
  REQUIRE(bare->catalog() == nullptr);
  for (const char* json : {R"({"filter": {"categories": ["audio"]}})", R"({"filter": {"available": true}})",
                           R"({"max_per_category": 1})", R"({"boost": [{"price": {"max": 5}, "factor": 2}]})"}) {
    INFO(json);
    auto parsed = parse_rules(json, *bare);
    REQUIRE(parsed.status().code() == ErrorCode::invalid_argument);
    REQUIRE_THAT(parsed.status().message(), Catch::Contains("catalogue"));
  }
  // Rules on item ids work without one.
  REQUIRE(parse_rules(R"({"boost": [{"items": ["A1"], "factor": 2}], "pin": [{"item": "B1", "position": 1}]})", *bare).ok());
}
