// Long-term affinities: how much a shopper leans to each category and price level, from their
// stored events with exponential time decay. Derived on the device from the profile (never sent
// anywhere); the SDK keeps them in the profile, exports and erases them with it.
//
// Each event weighs kind × 0.5^(age / half_life): a view 1, a cart 3, a purchase 5 (carts and
// purchases say more about taste than a glance). An event counts for its item's category and for
// its price level: relative to the median price of its category (behaviour_features.hpp),
// "budget" below ln(1+price) - ln(1+median) = -0.2 (about 18% cheaper), "premium" above +0.2,
// "mid" between. Events after `now` and items without the attribute count for nothing.
#pragma once

#include <array>
#include <vector>

#include "shelfwise/behaviour_features.hpp"
#include "shelfwise/json_value.hpp"

namespace shelfwise {

enum class PriceLevel : std::uint8_t { budget = 0, mid = 1, premium = 2 };
inline constexpr int kPriceLevelCount = 3;
inline constexpr double kPriceLevelThreshold = 0.2;

struct AffinityOptions {
  double half_life_days = 30.0;
};

struct Affinities {
  std::vector<double> categories;                    // one decayed weight per catalogue category
  std::array<double, kPriceLevelCount> price_levels{};  // budget, mid, premium
  std::size_t events = 0;                            // events that counted (time <= now)
};

// Fails like BehaviourFeatures::compute on unordered or non-finite input; INVALID_ARGUMENT for a
// half-life that is not positive and finite.
Status compute_affinities(const BehaviourFeatures& features, ArrayView<BehaviourEvent> events, double now,
                          const AffinityOptions& options, Affinities* out);

const char* price_level_name(PriceLevel level);

// The form the SDK's affinities() and `shelfwise features` return: {"categories": [{"category",
// "score", "share"}], "priceLevels": [{"level", "score", "share"}], "halfLifeDays", "events"};
// entries with a positive score only, by decreasing score (ties by name); share = score / total.
JsonValue affinities_json(const BehaviourFeatures& features, const Affinities& affinities, const AffinityOptions& options);

}  // namespace shelfwise
