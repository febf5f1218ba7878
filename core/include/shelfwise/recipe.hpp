// Recipes: how the ranker blends its candidate sources for one named slot of a shop's pages.
// The trainer writes them into the bundle manifest under "recipes"; a bundle without them (or
// without one of the standard names) gets default_recipes(), so every bundle serves every slot.
//
// Manifest form (added in format v1, optional):
//   "recipes": { "<slot>": { "weights": { "session": 1.0, "context": 0.0, "popular": 0.3,
//                                         "page": 0.0, "user": 1.0 },
//                            "exclude_purchased": true, "exclude_in_cart": false }, ... }
// Every key inside a recipe is optional (missing weights are 0 for a new slot name, the default
// recipe's value for a standard one). Weights are finite and in [0, 1000].
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/json_value.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise {

// Where a candidate can come from. Each has one weight in a recipe.
//   session: the session model (the Recommender's next/related scores of the visit's items)
//   context: item-to-item lists of the page's context items (the product on the page, the item
//            just added to the cart)
//   popular: the model's time-decayed popularity ("trending")
//   page:    the page's own list of items (rerank); earlier in the list scores higher
//   user:    a long-term user vector; reserved: no bundle kind provides it yet, so its weight is
//            carried but unused until a CandidateSource is registered for it (ranker.hpp)
enum class CandidateSourceId : std::uint8_t { session = 0, context = 1, popular = 2, page = 3, user = 4 };
inline constexpr std::size_t kCandidateSourceCount = 5;
std::string_view candidate_source_name(CandidateSourceId source);

using SourceWeights = std::array<double, kCandidateSourceCount>;
inline constexpr double kMaxSourceWeight = 1000.0;

struct Recipe {
  std::string name;
  SourceWeights weights{};
  // Defaults of the "exclude" rules for this slot; a request's rules may override both.
  bool exclude_purchased = true;
  bool exclude_in_cart = false;

  double weight(CandidateSourceId source) const { return weights[static_cast<std::size_t>(source)]; }
};

// The four standard slots: "home", "product-page", "cart", "category-rerank".
const std::vector<Recipe>& default_recipes();
// default_recipes() in manifest form, for the trainer.
nlohmann::json default_recipes_json();

class RecipeBook {
 public:
  // The defaults overlaid with the manifest's "recipes" (absent = defaults only). Fails with
  // BAD_MANIFEST naming the field for a malformed recipe.
  static Result<RecipeBook> from_manifest(const JsonValue& manifest);

  // nullptr when the slot has no recipe.
  const Recipe* find(std::string_view slot) const;
  const std::vector<Recipe>& recipes() const { return recipes_; }
  // "cart, category-rerank, home, product-page", for error messages.
  std::string names() const;

 private:
  std::vector<Recipe> recipes_;
};

// Reads {"session": x, ...} into `weights` (only the keys present); `subject_path` names the
// object in messages. Shared by the manifest's recipes and a request's weight override.
Status read_source_weights(const JsonValue& object, bool manifest, const std::string& subject_path,
                           SourceWeights* weights);

}  // namespace shelfwise
