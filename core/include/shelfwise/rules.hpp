// Business rules for one ranking request, parsed from JSON text against one model (item ids and
// category names become indices, so parsed Rules are only valid with the model they were parsed
// for). The browser SDK and the edge worker pass the same text; the schema is in README.md
// ("Ranking rules"). All keys are optional; an unknown key is an error, so a typo cannot silently
// turn a rule off.
//
// The ranker applies them in this order (ranker.hpp): filter, exclude, boost, pin,
// max_per_category, diversity, then deduplication.
//
// Items the model does not know (a rerank may carry them) have no catalogue attributes: they fail
// category-include and price conditions, pass category-exclude ones, and count as available.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "shelfwise/model.hpp"
#include "shelfwise/recipe.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise {

inline constexpr std::size_t kMaxRulesBytes = 64 * 1024;
inline constexpr std::size_t kMaxRulesDepth = 8;
inline constexpr std::size_t kMaxRuleCategories = 1000;
inline constexpr std::size_t kMaxRuleItems = 10000;
inline constexpr std::size_t kMaxBoostRules = 32;
inline constexpr std::size_t kMaxPinRules = 100;
inline constexpr double kMaxBoostFactor = 100.0;

// A conjunction of attribute tests; an absent test matches everything.
struct AttributeCondition {
  // One flag per catalogue category (1 = listed); empty = no category test.
  std::vector<std::uint8_t> categories;
  bool has_price = false;
  double price_min = -std::numeric_limits<double>::infinity();
  double price_max = std::numeric_limits<double>::infinity();
  std::optional<bool> available;
  // Sorted item indices; only meaningful when has_items.
  bool has_items = false;
  std::vector<std::uint32_t> items;
};

struct BoostRule {
  AttributeCondition when;
  // Multiplies the blended score of every matching candidate: > 1 boosts, < 1 buries.
  double factor = 1.0;
};

struct PinRule {
  std::uint32_t item = 0;
  std::size_t position = 0;  // 0-based here; "position" in the JSON is 1-based
};

struct Rules {
  // filter
  std::vector<std::uint8_t> include_categories;  // per category flags; empty = no test
  std::vector<std::uint8_t> exclude_categories;  // per category flags; empty = no test
  bool has_price = false;
  double price_min = -std::numeric_limits<double>::infinity();
  double price_max = std::numeric_limits<double>::infinity();
  std::optional<bool> available;
  // exclude (unset: the recipe's default)
  std::optional<bool> exclude_purchased;
  std::optional<bool> exclude_in_cart;
  std::vector<std::uint32_t> exclude_items;  // sorted
  // boost/bury, pin, cap, diversity
  std::vector<BoostRule> boosts;
  std::vector<PinRule> pins;  // sorted by position, distinct positions and items
  std::uint32_t max_per_category = 0;  // 0 = no cap
  std::optional<double> diversity_lambda;
  // Per-call override of the recipe's weights: only the sources named.
  std::array<std::optional<double>, kCandidateSourceCount> weights;

  bool has_filter() const { return !include_categories.empty() || !exclude_categories.empty() || has_price || available.has_value(); }
};

// Parses rules text ("" means no rules). Fails with PARSE_ERROR for text that is not JSON,
// INVALID_ARGUMENT naming the field for a bad value (or an attribute rule on a bundle without a
// catalogue), LIMIT_EXCEEDED for oversized text, nesting or lists. Unknown item ids and category
// names are not errors (the shop's catalogue may be newer than the model): they match nothing.
Result<Rules> parse_rules(std::string_view text, const Model& model);

// Whether a model item passes the filter rules; `item` must be a model index.
bool passes_filter(const Rules& rules, const Catalog* catalog, std::uint32_t item);
// The same for an item unknown to the model (see the header comment).
bool unknown_item_passes_filter(const Rules& rules);
// Whether a model item meets every test of `condition`.
bool matches(const AttributeCondition& condition, const Catalog* catalog, std::uint32_t item);
bool unknown_item_matches(const AttributeCondition& condition);

}  // namespace shelfwise
