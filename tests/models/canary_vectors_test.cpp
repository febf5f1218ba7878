// Canary vectors reproduce on the bundle they were computed from, and catch a different model.
#include <catch2/catch.hpp>

#include "models/publishing_fixtures.hpp"
#include "publishing/canary_vectors.hpp"
#include "test_support.hpp"

namespace {

using namespace shelfwise;
using namespace shelfwise::publishing;

}  // namespace

TEST_CASE("canaries computed from a bundle reproduce on a fresh load of the same bytes", "[publishing]") {
  const auto bytes = testing::train_bundle(testing::small_shop_csv());
  auto canaries = compute_canaries(*testing::load_model(bytes));
  REQUIRE(canaries.ok());
  REQUIRE(canaries.value().size() == 5);
  bool some_personal = false;
  for (const auto& canary : canaries.value()) {
    CHECK(canary["expected"].size() == kCanaryTopK);
    CHECK(canary["k"] == kCanaryTopK);
    if (canary["request"] == "recommend" && !canary["events"].empty()) some_personal = true;
  }
  CHECK(some_personal);
  CHECK(canaries.value()[2]["events"][2]["type"] == "cart");
  CHECK(canaries.value()[4]["request"] == "related");
  CHECK(check_canaries(*testing::load_model(bytes), canaries.value()).ok());
  // Deterministic: computing them again gives the same vectors.
  CHECK(compute_canaries(*testing::load_model(bytes)).value() == canaries.value());
}

TEST_CASE("canaries refuse another model, a changed score and malformed entries", "[publishing]") {
  const auto model = testing::load_model(testing::train_bundle(testing::small_shop_csv()));
  const nlohmann::json canaries = compute_canaries(*model).value();

  const auto other = testing::load_model(testing::train_bundle(testing::small_shop_csv(60, 3)));
  CHECK(check_canaries(*other, canaries).code() == ErrorCode::canary_mismatch);
  const auto popularity_only = testing::load_model(testing::train_bundle(testing::small_shop_csv(), "pop"));
  CHECK(check_canaries(*popularity_only, canaries).code() == ErrorCode::canary_mismatch);

  nlohmann::json nudged = canaries;
  const double score = nudged[1]["expected"][0]["score"].get<double>();
  nudged[1]["expected"][0]["score"] = score * (1.0 + 1e-3);
  const Status status = check_canaries(*model, nudged);
  CHECK(status.code() == ErrorCode::canary_mismatch);
  CHECK(status.message().find("canaries[1] rank 0") != std::string::npos);
  nlohmann::json within_tolerance = canaries;
  within_tolerance[1]["expected"][0]["score"] = score * (1.0 + 1e-7);
  CHECK(check_canaries(*model, within_tolerance).ok());

  nlohmann::json swapped = canaries;
  std::swap(swapped[3]["expected"][0], swapped[3]["expected"][1]);
  CHECK(check_canaries(*model, swapped).code() == ErrorCode::canary_mismatch);
  nlohmann::json unknown_item = canaries;
  unknown_item[1]["events"][0]["item_id"] = "SKU-NOPE";
  CHECK(check_canaries(*model, unknown_item).code() == ErrorCode::canary_mismatch);
  nlohmann::json bad_type = canaries;
  bad_type[1]["events"][0]["type"] = "like";
  CHECK(check_canaries(*model, bad_type).code() == ErrorCode::bad_manifest);
  CHECK(check_canaries(*model, nlohmann::json::array()).code() == ErrorCode::bad_manifest);
  CHECK(check_canaries(*model, nlohmann::json::object()).code() == ErrorCode::bad_manifest);
}
