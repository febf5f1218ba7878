// Recipes in the bundle manifest: defaults for bundles without them, overrides, validation.
#include "shelfwise/recipe.hpp"

#include <catch2/catch.hpp>

#include "ranking_fixture.hpp"

namespace {

using shelfwise::CandidateSourceId;
using shelfwise::ErrorCode;
using shelfwise::Model;
using shelfwise::RecipeBook;

void require_same_weights(const shelfwise::Recipe& left, const shelfwise::Recipe& right) {
  for (std::size_t source = 0; source < shelfwise::kCandidateSourceCount; ++source) {
    REQUIRE(left.weights[source] == right.weights[source]);
  }
  REQUIRE(left.exclude_purchased == right.exclude_purchased);
  REQUIRE(left.exclude_in_cart == right.exclude_in_cart);
}

}  // namespace

TEST_CASE("the trainer writes the four standard recipes and a bundle without them gets the same", "[recipe]") {
  const auto with = shelfwise::testing::ranking_model();
  const auto without = shelfwise::testing::ranking_model(nlohmann::json());
  REQUIRE(with->bundle().manifest().contains("recipes"));
  REQUIRE_FALSE(without->bundle().manifest().contains("recipes"));
  for (const char* slot : {"home", "product-page", "cart", "category-rerank"}) {
    INFO(slot);
    REQUIRE(with->recipes().find(slot) != nullptr);
    REQUIRE(without->recipes().find(slot) != nullptr);
    require_same_weights(*with->recipes().find(slot), *without->recipes().find(slot));
  }
  REQUIRE(with->recipes().find("checkout") == nullptr);
  REQUIRE(with->recipes().names() == "cart, category-rerank, home, product-page");
  // Sensible defaults: the product page leans on the product, home on the visit, cart hides the cart.
  const auto& product_page = *with->recipes().find("product-page");
  REQUIRE(product_page.weight(CandidateSourceId::context) > product_page.weight(CandidateSourceId::session));
  REQUIRE(with->recipes().find("home")->weight(CandidateSourceId::session) > 0.0);
  REQUIRE(with->recipes().find("cart")->exclude_in_cart);
  REQUIRE(with->recipes().find("category-rerank")->weight(CandidateSourceId::page) > 0.0);
}

TEST_CASE("a bundle's recipes override the defaults field by field and may add slots", "[recipe]") {
  nlohmann::json recipes = {{"home", {{"weights", {{"popular", 0.9}}}}},
                            {"email", {{"weights", {{"session", 2.0}}}, {"exclude_in_cart", true}}}};
  const auto model = shelfwise::testing::ranking_model(recipes);
  const auto& home = *model->recipes().find("home");
  REQUIRE(home.weight(CandidateSourceId::popular) == 0.9);
  REQUIRE(home.weight(CandidateSourceId::session) == 1.0);  // the default, untouched
  const auto* email = model->recipes().find("email");
  REQUIRE(email != nullptr);
  REQUIRE(email->weight(CandidateSourceId::session) == 2.0);
  REQUIRE(email->weight(CandidateSourceId::popular) == 0.0);
  REQUIRE(email->exclude_in_cart);
}

TEST_CASE("malformed recipes make the bundle invalid, naming the field", "[recipe]") {
  struct Case {
    nlohmann::json recipes;
    const char* field;
  };
  const Case cases[] = {
      {nlohmann::json::array(), "'recipes'"},
      {{{"home", 3}}, "'recipes.home'"},
      {{{"home", {{"weights", {{"session", -1.0}}}}}}, "'recipes.home.weights.session'"},
      {{{"home", {{"weights", {{"session", "high"}}}}}}, "'recipes.home.weights.session'"},
      {{{"home", {{"weights", {{"sesion", 1.0}}}}}}, "'recipes.home.weights.sesion'"},
      {{{"home", {{"exclude_in_cart", 1}}}}, "'recipes.home.exclude_in_cart'"},
      {{{"cart", {{"weights", {{"page", 5000.0}}}}}}, "'recipes.cart.weights.page'"},
  };
  for (const Case& bad : cases) {
    INFO(bad.recipes.dump());
    const auto bytes = shelfwise::testing::train_bundle_with_catalog(shelfwise::testing::ranking_events(),
                                                                     shelfwise::testing::kRankingCatalog, bad.recipes);
    auto model = Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
    REQUIRE_FALSE(model.ok());
    REQUIRE(model.status().code() == ErrorCode::bad_manifest);
    REQUIRE_THAT(model.status().message(), Catch::Contains(bad.field));
  }
}
