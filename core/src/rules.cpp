#include "shelfwise/rules.hpp"

#include <algorithm>
#include <cmath>

#include "shelfwise/json_fields.hpp"
#include "shelfwise/recommender.hpp"

namespace shelfwise {
namespace {

const JsonSubject& subject = kRulesSubject;

Status need_catalog(const Model& model, const std::string& path) {
  if (model.catalog() != nullptr) return Status::ok_status();
  return field_error(subject, path, "needs a bundle with a catalogue (train with --catalog)");
}

// Category names to per-category flags; unknown names match nothing.
Status read_category_flags(const JsonValue& object, const char* key, const std::string& path, const Model& model,
                           std::vector<std::uint8_t>* flags) {
  if (object.find(key) == nullptr) return Status::ok_status();
  std::vector<std::string> names;
  SHELFWISE_RETURN_IF_ERROR(read_optional_string_array(subject, object, key, path, kMaxRuleCategories, &names));
  SHELFWISE_RETURN_IF_ERROR(need_catalog(model, path));
  const Catalog& catalog = *model.catalog();
  flags->assign(catalog.category_count(), 0);
  // An empty list still sets up the test: "only these (no) categories" keeps nothing.
  if (flags->empty()) flags->push_back(0);
  for (const std::string& name : names) {
    for (std::uint32_t category = 0; category < catalog.category_count(); ++category) {
      if (catalog.category_label(category) == name) (*flags)[category] = 1;
    }
  }
  return Status::ok_status();
}

Status read_items(const JsonValue& object, const char* key, const std::string& path, const Model& model,
                  bool* present, std::vector<std::uint32_t>* items) {
  if (object.find(key) == nullptr) return Status::ok_status();
  std::vector<std::string> ids;
  SHELFWISE_RETURN_IF_ERROR(read_optional_string_array(subject, object, key, path, kMaxRuleItems, &ids));
  *present = true;
  items->clear();
  for (const std::string& id : ids) {
    if (const auto index = model.items().find(id)) items->push_back(*index);
  }
  std::sort(items->begin(), items->end());
  items->erase(std::unique(items->begin(), items->end()), items->end());
  return Status::ok_status();
}

Status read_price(const JsonValue& object, const std::string& path, const Model& model, bool* has_price,
                  double* price_min, double* price_max) {
  const JsonValue* found = object.find("price");
  if (found == nullptr) return Status::ok_status();
  SHELFWISE_RETURN_IF_ERROR(reject_unknown_keys(subject, *found, path, {"min", "max"}));
  SHELFWISE_RETURN_IF_ERROR(need_catalog(model, path));
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(subject, *found, "min", path + ".min", price_min));
  SHELFWISE_RETURN_IF_ERROR(read_optional_number(subject, *found, "max", path + ".max", price_max));
  if (*price_min > *price_max) return field_error(subject, path, "has min greater than max");
  if (*price_min < 0.0 && std::isfinite(*price_min)) return field_error(subject, path + ".min", "must not be negative");
  *has_price = true;
  return Status::ok_status();
}

Status read_available(const JsonValue& object, const std::string& path, const Model& model, std::optional<bool>* out) {
  if (object.find("available") == nullptr) return Status::ok_status();
  bool value = true;
  SHELFWISE_RETURN_IF_ERROR(read_optional_bool(subject, object, "available", path, &value));
  SHELFWISE_RETURN_IF_ERROR(need_catalog(model, path));
  *out = value;
  return Status::ok_status();
}

Status read_filter(const JsonValue& filter, const Model& model, Rules* rules) {
  SHELFWISE_RETURN_IF_ERROR(reject_unknown_keys(subject, filter, "filter", {"categories", "exclude_categories", "price", "available"}));
  SHELFWISE_RETURN_IF_ERROR(read_category_flags(filter, "categories", "filter.categories", model, &rules->include_categories));
  SHELFWISE_RETURN_IF_ERROR(
      read_category_flags(filter, "exclude_categories", "filter.exclude_categories", model, &rules->exclude_categories));
  SHELFWISE_RETURN_IF_ERROR(read_price(filter, "filter.price", model, &rules->has_price, &rules->price_min, &rules->price_max));
  return read_available(filter, "filter.available", model, &rules->available);
}

Status read_exclude(const JsonValue& exclude, const Model& model, Rules* rules) {
  SHELFWISE_RETURN_IF_ERROR(reject_unknown_keys(subject, exclude, "exclude", {"purchased", "in_cart", "items"}));
  bool purchased = false;
  bool in_cart = false;
  if (exclude.find("purchased") != nullptr) {
    SHELFWISE_RETURN_IF_ERROR(read_optional_bool(subject, exclude, "purchased", "exclude.purchased", &purchased));
    rules->exclude_purchased = purchased;
  }
  if (exclude.find("in_cart") != nullptr) {
    SHELFWISE_RETURN_IF_ERROR(read_optional_bool(subject, exclude, "in_cart", "exclude.in_cart", &in_cart));
    rules->exclude_in_cart = in_cart;
  }
  bool present = false;
  return read_items(exclude, "items", "exclude.items", model, &present, &rules->exclude_items);
}

Status read_boosts(const JsonValue& boosts, const Model& model, Rules* rules) {
  if (!boosts.is_array()) return field_error(subject, "boost", "must be an array of rules");
  if (boosts.size() > kMaxBoostRules) {
    return Status(ErrorCode::limit_exceeded, "rules field 'boost' lists " + std::to_string(boosts.size()) +
                                                 " rules; at most " + std::to_string(kMaxBoostRules));
  }
  for (std::size_t index = 0; index < boosts.size(); ++index) {
    const JsonValue& entry = boosts[index];
    const std::string path = "boost[" + std::to_string(index) + "]";
    SHELFWISE_RETURN_IF_ERROR(reject_unknown_keys(subject, entry, path, {"categories", "price", "available", "items", "factor"}));
    BoostRule rule;
    SHELFWISE_RETURN_IF_ERROR(read_number(subject, entry, "factor", path + ".factor", &rule.factor));
    if (rule.factor <= 0.0 || rule.factor > kMaxBoostFactor) {
      return field_error(subject, path + ".factor", "must be in (0, 100] (use a filter to remove items)");
    }
    SHELFWISE_RETURN_IF_ERROR(read_category_flags(entry, "categories", path + ".categories", model, &rule.when.categories));
    SHELFWISE_RETURN_IF_ERROR(read_price(entry, path + ".price", model, &rule.when.has_price, &rule.when.price_min, &rule.when.price_max));
    SHELFWISE_RETURN_IF_ERROR(read_available(entry, path + ".available", model, &rule.when.available));
    SHELFWISE_RETURN_IF_ERROR(read_items(entry, "items", path + ".items", model, &rule.when.has_items, &rule.when.items));
    if (rule.when.categories.empty() && !rule.when.has_price && !rule.when.available && !rule.when.has_items) {
      return field_error(subject, path, "needs a condition: categories, price, available or items");
    }
    rules->boosts.push_back(std::move(rule));
  }
  return Status::ok_status();
}

Status read_pins(const JsonValue& pins, const Model& model, Rules* rules) {
  if (!pins.is_array()) return field_error(subject, "pin", "must be an array of {item, position}");
  if (pins.size() > kMaxPinRules) {
    return Status(ErrorCode::limit_exceeded, "rules field 'pin' lists " + std::to_string(pins.size()) + " pins; at most " +
                                                 std::to_string(kMaxPinRules));
  }
  std::vector<std::size_t> positions;
  std::vector<std::string> ids;
  for (std::size_t index = 0; index < pins.size(); ++index) {
    const JsonValue& entry = pins[index];
    const std::string path = "pin[" + std::to_string(index) + "]";
    SHELFWISE_RETURN_IF_ERROR(reject_unknown_keys(subject, entry, path, {"item", "position"}));
    std::string id;
    SHELFWISE_RETURN_IF_ERROR(read_string(subject, entry, "item", path + ".item", &id));
    double position = 0.0;
    SHELFWISE_RETURN_IF_ERROR(read_number(subject, entry, "position", path + ".position", &position));
    if (position < 1.0 || position != std::floor(position)) {
      return field_error(subject, path + ".position", "must be a whole number from 1 (the first slot)");
    }
    if (position > static_cast<double>(kMaxResults)) {
      return Status(ErrorCode::limit_exceeded, "rules field '" + path + ".position' is beyond " + std::to_string(kMaxResults));
    }
    const auto slot = static_cast<std::size_t>(position) - 1;
    if (std::find(positions.begin(), positions.end(), slot) != positions.end()) {
      return field_error(subject, path + ".position", "repeats a position pinned before");
    }
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) return field_error(subject, path + ".item", "is pinned twice");
    positions.push_back(slot);
    ids.push_back(id);
    // An item this model does not know cannot be placed; like every unknown id, it is ignored.
    if (const auto item = model.items().find(id)) rules->pins.push_back({*item, slot});
  }
  std::sort(rules->pins.begin(), rules->pins.end(),
            [](const PinRule& left, const PinRule& right) { return left.position < right.position; });
  return Status::ok_status();
}

Status read_cap(const JsonValue& root, const Model& model, Rules* rules) {
  double cap = 0.0;
  SHELFWISE_RETURN_IF_ERROR(read_number(subject, root, "max_per_category", "max_per_category", &cap));
  if (cap < 1.0 || cap != std::floor(cap) || cap > static_cast<double>(kMaxResults)) {
    return field_error(subject, "max_per_category", "must be a whole number from 1 to 1000");
  }
  SHELFWISE_RETURN_IF_ERROR(need_catalog(model, "max_per_category"));
  rules->max_per_category = static_cast<std::uint32_t>(cap);
  return Status::ok_status();
}

Status read_diversity(const JsonValue& diversity, Rules* rules) {
  SHELFWISE_RETURN_IF_ERROR(reject_unknown_keys(subject, diversity, "diversity", {"lambda"}));
  double lambda = 0.0;
  SHELFWISE_RETURN_IF_ERROR(read_number(subject, diversity, "lambda", "diversity.lambda", &lambda));
  if (lambda < 0.0 || lambda > 1.0) return field_error(subject, "diversity.lambda", "must be in [0, 1]");
  rules->diversity_lambda = lambda;
  return Status::ok_status();
}

Status read_weights(const JsonValue& weights, Rules* rules) {
  // Read onto NaN markers so only the sources the page named override the recipe.
  SourceWeights values;
  values.fill(std::numeric_limits<double>::quiet_NaN());
  SHELFWISE_RETURN_IF_ERROR(read_source_weights(weights, false, "weights", &values));
  for (std::size_t source = 0; source < kCandidateSourceCount; ++source) {
    if (!std::isnan(values[source])) rules->weights[source] = values[source];
  }
  return Status::ok_status();
}

bool price_in(double price_min, double price_max, float price) {
  return price >= 0.0f && price >= price_min && price <= price_max;
}

bool category_listed(const std::vector<std::uint8_t>& flags, std::uint32_t category) {
  return category != kNoCategory && category < flags.size() && flags[category] != 0;
}

}  // namespace

Result<Rules> parse_rules(std::string_view text, const Model& model) {
  Rules rules;
  if (text.empty()) return rules;
  auto parsed = parse_json_text(text, "rules", kMaxRulesBytes, kMaxRulesDepth);
  if (!parsed.ok()) return parsed.status();
  const JsonValue& root = parsed.value();
  if (!root.is_object()) return Status(ErrorCode::invalid_argument, "rules must be a JSON object");
  SHELFWISE_RETURN_IF_ERROR(reject_unknown_keys(subject, root, "",
                                                {"filter", "exclude", "boost", "pin", "max_per_category", "diversity", "weights"}));
  if (const JsonValue* found = root.find("filter"); found != nullptr) SHELFWISE_RETURN_IF_ERROR(read_filter(*found, model, &rules));
  if (const JsonValue* found = root.find("exclude"); found != nullptr) SHELFWISE_RETURN_IF_ERROR(read_exclude(*found, model, &rules));
  if (const JsonValue* found = root.find("boost"); found != nullptr) SHELFWISE_RETURN_IF_ERROR(read_boosts(*found, model, &rules));
  if (const JsonValue* found = root.find("pin"); found != nullptr) SHELFWISE_RETURN_IF_ERROR(read_pins(*found, model, &rules));
  if (root.find("max_per_category") != nullptr) SHELFWISE_RETURN_IF_ERROR(read_cap(root, model, &rules));
  if (const JsonValue* found = root.find("diversity"); found != nullptr) SHELFWISE_RETURN_IF_ERROR(read_diversity(*found, &rules));
  if (const JsonValue* found = root.find("weights"); found != nullptr) SHELFWISE_RETURN_IF_ERROR(read_weights(*found, &rules));
  return rules;
}

bool passes_filter(const Rules& rules, const Catalog* catalog, std::uint32_t item) {
  if (catalog == nullptr) return true;  // parse_rules refuses attribute filters without a catalogue
  const std::uint32_t category = catalog->category_index(item);
  if (!rules.include_categories.empty() && !category_listed(rules.include_categories, category)) return false;
  if (!rules.exclude_categories.empty() && category_listed(rules.exclude_categories, category)) return false;
  if (rules.has_price && !price_in(rules.price_min, rules.price_max, catalog->price(item))) return false;
  if (rules.available && catalog->available(item) != *rules.available) return false;
  return true;
}

bool unknown_item_passes_filter(const Rules& rules) {
  return rules.include_categories.empty() && !rules.has_price && rules.available.value_or(true);
}

bool matches(const AttributeCondition& condition, const Catalog* catalog, std::uint32_t item) {
  if (condition.has_items && !std::binary_search(condition.items.begin(), condition.items.end(), item)) return false;
  if (catalog == nullptr) return condition.categories.empty() && !condition.has_price && !condition.available;
  if (!condition.categories.empty() && !category_listed(condition.categories, catalog->category_index(item))) return false;
  if (condition.has_price && !price_in(condition.price_min, condition.price_max, catalog->price(item))) return false;
  if (condition.available && catalog->available(item) != *condition.available) return false;
  return true;
}

bool unknown_item_matches(const AttributeCondition& condition) {
  return !condition.has_items && condition.categories.empty() && !condition.has_price && condition.available.value_or(true);
}

}  // namespace shelfwise
