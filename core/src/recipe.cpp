#include "shelfwise/recipe.hpp"

#include <algorithm>

#include "shelfwise/json_fields.hpp"

namespace shelfwise {
namespace {

constexpr const char* kSourceNames[kCandidateSourceCount] = {"session", "context", "popular", "page", "user"};
constexpr std::size_t kMaxRecipes = 64;

Recipe make_recipe(std::string name, SourceWeights weights, bool exclude_purchased, bool exclude_in_cart) {
  Recipe recipe;
  recipe.name = std::move(name);
  recipe.weights = weights;
  recipe.exclude_purchased = exclude_purchased;
  recipe.exclude_in_cart = exclude_in_cart;
  return recipe;
}

Status read_recipe(const JsonValue& object, const std::string& path, Recipe* recipe) {
  const JsonSubject& subject = kManifestSubject;
  SHELFWISE_RETURN_IF_ERROR(reject_unknown_keys(subject, object, path, {"weights", "exclude_purchased", "exclude_in_cart"}));
  const JsonValue* weights = object.find("weights");
  if (weights != nullptr) {
    SHELFWISE_RETURN_IF_ERROR(read_source_weights(*weights, true, path + ".weights", &recipe->weights));
  }
  SHELFWISE_RETURN_IF_ERROR(read_optional_bool(subject, object, "exclude_purchased", path + ".exclude_purchased",
                                               &recipe->exclude_purchased));
  return read_optional_bool(subject, object, "exclude_in_cart", path + ".exclude_in_cart", &recipe->exclude_in_cart);
}

}  // namespace

std::string_view candidate_source_name(CandidateSourceId source) { return kSourceNames[static_cast<std::size_t>(source)]; }

const std::vector<Recipe>& default_recipes() {
  // Weights apply to scores each normalised to [0, 1] (ranker.hpp). The page's list gets a
  // small weight where it exists, so it breaks ties and keeps the shop's order for shoppers the
  // model knows nothing about, without outvoting the visit.
  //                                          session context popular page user
  static const std::vector<Recipe> recipes = {
      make_recipe("home", {1.0, 0.0, 0.3, 0.0, 1.0}, true, false),
      make_recipe("product-page", {0.4, 1.0, 0.1, 0.0, 0.3}, true, false),
      make_recipe("cart", {0.6, 1.0, 0.1, 0.0, 0.3}, true, true),
      make_recipe("category-rerank", {1.0, 0.5, 0.3, 0.2, 1.0}, false, false),
  };
  return recipes;
}

nlohmann::json default_recipes_json() {
  nlohmann::json recipes = nlohmann::json::object();
  for (const Recipe& recipe : default_recipes()) {
    nlohmann::json weights = nlohmann::json::object();
    for (std::size_t source = 0; source < kCandidateSourceCount; ++source) weights[kSourceNames[source]] = recipe.weights[source];
    recipes[recipe.name] = {{"weights", weights},
                            {"exclude_purchased", recipe.exclude_purchased},
                            {"exclude_in_cart", recipe.exclude_in_cart}};
  }
  return recipes;
}

Status read_source_weights(const JsonValue& object, bool manifest, const std::string& subject_path,
                           SourceWeights* weights) {
  const JsonSubject& subject = manifest ? kManifestSubject : kRulesSubject;
  SHELFWISE_RETURN_IF_ERROR(
      reject_unknown_keys(subject, object, subject_path, {kSourceNames[0], kSourceNames[1], kSourceNames[2], kSourceNames[3], kSourceNames[4]}));
  for (std::size_t source = 0; source < kCandidateSourceCount; ++source) {
    const std::string path = subject_path + "." + kSourceNames[source];
    double value = (*weights)[source];
    SHELFWISE_RETURN_IF_ERROR(read_optional_number(subject, object, kSourceNames[source], path, &value));
    if (value < 0.0 || value > kMaxSourceWeight) return field_error(subject, path, "must be in [0, 1000]");
    (*weights)[source] = value;
  }
  return Status::ok_status();
}

Result<RecipeBook> RecipeBook::from_manifest(const JsonValue& manifest) {
  RecipeBook book;
  book.recipes_ = default_recipes();
  const JsonValue* found = manifest.find("recipes");
  if (found == nullptr) return book;
  if (!found->is_object()) return field_error(kManifestSubject, "recipes", "must be an object");
  if (found->size() > kMaxRecipes) return field_error(kManifestSubject, "recipes", "has more than 64 slots");
  for (const JsonMember& entry : found->members()) {
    const std::string path = "recipes." + entry.key;
    if (entry.key.empty() || entry.key.size() > 64) return field_error(kManifestSubject, path, "needs a name of 1 to 64 characters");
    auto existing = std::find_if(book.recipes_.begin(), book.recipes_.end(),
                                 [&](const Recipe& recipe) { return recipe.name == entry.key; });
    if (existing == book.recipes_.end()) {
      Recipe recipe;
      recipe.name = entry.key;
      book.recipes_.push_back(recipe);
      existing = book.recipes_.end() - 1;
    }
    SHELFWISE_RETURN_IF_ERROR(read_recipe(entry.value, path, &*existing));
  }
  return book;
}

const Recipe* RecipeBook::find(std::string_view slot) const {
  for (const Recipe& recipe : recipes_) {
    if (recipe.name == slot) return &recipe;
  }
  return nullptr;
}

std::string RecipeBook::names() const {
  std::vector<std::string> names;
  for (const Recipe& recipe : recipes_) names.push_back(recipe.name);
  std::sort(names.begin(), names.end());
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace shelfwise
