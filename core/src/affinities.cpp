#include "shelfwise/affinities.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace shelfwise {

Status compute_affinities(const BehaviourFeatures& features, ArrayView<BehaviourEvent> events, double now,
                          const AffinityOptions& options, Affinities* out) {
  if (!(options.half_life_days > 0.0) || !std::isfinite(options.half_life_days)) {
    return Status(ErrorCode::invalid_argument, "affinity half-life must be a positive number of days");
  }
  if (!std::isfinite(now)) return Status(ErrorCode::invalid_argument, "affinity 'now' must be finite");
  if (events.size() > kMaxBehaviourEvents) {
    return Status(ErrorCode::limit_exceeded, "affinities: " + std::to_string(events.size()) + " events; at most " +
                                                 std::to_string(kMaxBehaviourEvents));
  }
  const Catalog* catalog = features.catalog();
  out->categories.assign(catalog != nullptr ? catalog->category_count() : 0, 0.0);
  out->price_levels = {};
  out->events = 0;
  const double half_life_seconds = options.half_life_days * 86400.0;
  for (std::size_t index = 0; index < events.size(); ++index) {
    const BehaviourEvent& event = events[index];
    if (!std::isfinite(event.time)) {
      return Status(ErrorCode::invalid_argument, "affinity event " + std::to_string(index) + " has a non-finite time");
    }
    if (index > 0 && event.time < events[index - 1].time) {
      return Status(ErrorCode::invalid_argument, "affinity events must be in time order");
    }
    if (event.time > now) continue;
    ++out->events;
    if (catalog == nullptr || event.item >= features.item_count()) continue;
    const double kind = event.type == EventType::purchase ? 5.0 : event.type == EventType::cart ? 3.0 : 1.0;
    const double weight = kind * std::exp2(-(now - event.time) / half_life_seconds);
    const std::uint32_t category = catalog->category_index(event.item);
    if (category == kNoCategory) continue;
    out->categories[category] += weight;
    const float price = catalog->price(event.item);
    const float median = features.category_median_log_price(category);
    if (price < 0.0f || std::isnan(median)) continue;
    const double relative = std::log1p(static_cast<double>(price)) - median;
    const PriceLevel level = relative < -kPriceLevelThreshold ? PriceLevel::budget
                             : relative > kPriceLevelThreshold ? PriceLevel::premium
                                                               : PriceLevel::mid;
    out->price_levels[static_cast<int>(level)] += weight;
  }
  return Status::ok_status();
}

namespace {

JsonValue ranked(std::vector<std::pair<std::string, double>> entries, const char* key) {
  double total = 0.0;
  for (const auto& entry : entries) total += entry.second;
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  JsonValue list = JsonValue::array();
  for (const auto& [name, score] : entries) {
    if (score <= 0.0) continue;
    JsonValue entry = JsonValue::object();
    entry.set(key, JsonValue::string(name));
    entry.set("score", JsonValue::number(score));
    entry.set("share", JsonValue::number(score / total));
    list.push_back(std::move(entry));
  }
  return list;
}

}  // namespace

JsonValue affinities_json(const BehaviourFeatures& features, const Affinities& affinities, const AffinityOptions& options) {
  std::vector<std::pair<std::string, double>> categories;
  for (std::size_t category = 0; category < affinities.categories.size(); ++category) {
    categories.emplace_back(std::string(features.catalog()->category_label(static_cast<std::uint32_t>(category))),
                            affinities.categories[category]);
  }
  std::vector<std::pair<std::string, double>> levels;
  for (int level = 0; level < kPriceLevelCount; ++level) {
    levels.emplace_back(price_level_name(static_cast<PriceLevel>(level)), affinities.price_levels[level]);
  }
  JsonValue result = JsonValue::object();
  result.set("categories", ranked(std::move(categories), "category"));
  result.set("priceLevels", ranked(std::move(levels), "level"));
  result.set("halfLifeDays", JsonValue::number(options.half_life_days));
  result.set("events", JsonValue::unsigned_integer(affinities.events));
  return result;
}

const char* price_level_name(PriceLevel level) {
  switch (level) {
    case PriceLevel::budget: return "budget";
    case PriceLevel::mid: return "mid";
    case PriceLevel::premium: return "premium";
  }
  return "mid";
}

}  // namespace shelfwise
