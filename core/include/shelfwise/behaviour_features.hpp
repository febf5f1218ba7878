// Behaviour features: one fixed-length vector describing a shopper, computed from their events
// (the device's stored profile plus this visit; on the server, a user's earlier sessions plus the
// session so far). The trainer and the device both call BehaviourFeatures::compute, so segments and
// propensity models see on the device exactly what they were trained on.
//
// Features, in this order (C = the catalogue's categories, none without a catalogue):
//   category.<name>        share of the window's events whose item is in that category (among
//                          events whose item has a category); NaN when none has one
//   price.log_mean         mean ln(1 + price) of the events' items with a known price; NaN: none
//   price.relative         mean ln((1 + price) / (1 + median price of the item's category)):
//                          above 0 = dearer than usual for what they browse; NaN: none
//   recency.log_days       ln(1 + days from the end of the latest earlier visit to `now`); NaN
//                          for a shopper without an earlier visit
//   frequency.log_visits   ln(1 + visits in the window, this one included)
//   frequency.log_events   ln(1 + events in the window)
//   visit.log_events       ln(1 + events of this visit)
//   visit.log_minutes      ln(1 + minutes from this visit's first event to `now`)
//   visit.cart_ratio       carts / events of this visit; NaN for a visit without events
//   ratio.cart             carts / events of the window; NaN without events
//   ratio.purchase         purchases / events of the window; NaN without events
//   history.purchase_visits share of earlier visits with a purchase; NaN without earlier visits
//   device.desktop|mobile|tablet  one-hot of the context's device; NaN when unknown
//   time.hour_sin|hour_cos sin/cos of 2π·hour/24 of the context's local hour; NaN when unknown
// NaN means "not known for this shopper": standardisation (behaviour_model.hpp) maps it to the
// training mean, so it pulls towards no segment and moves no probability.
//
// Visits: maximal runs of events whose consecutive times are at most `visit_gap_seconds` apart.
// "This visit" is the latest run if `now` is within the gap of its last event, else it is empty
// (the shopper is back and has not done anything yet). The window is the events with
// now - history_days·86400 <= time <= now, at most the latest `max_events` of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/array_view.hpp"
#include "shelfwise/catalog.hpp"
#include "shelfwise/session_state.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise {

enum class Device : std::uint8_t { unknown = 0, desktop = 1, mobile = 2, tablet = 3 };
inline constexpr int kDeviceCount = 4;

// One event of the shopper's history. `item` indexes the model's vocabulary, or is kNoItem for an
// item this model does not know (it still counts for frequency, recency and the ratios).
struct BehaviourEvent {
  std::uint32_t item = 0;
  EventType type = EventType::view;
  double time = 0.0;  // unix seconds
};

// When and where the features are taken: the device passes its clock, local hour and device; the
// trainer passes the time of the example's last event and its hour.
struct BehaviourContext {
  double now = 0.0;           // unix seconds
  double local_hour = -1.0;   // [0, 24); anything else = unknown
  Device device = Device::unknown;
};

// How far back the features look; stored in the bundle ("behaviour") so the device uses the
// trainer's values.
struct BehaviourWindow {
  double visit_gap_seconds = 1800.0;
  double history_days = 90.0;
  std::uint32_t max_events = 1000;
};

inline constexpr std::size_t kMaxBehaviourEvents = 100000;
inline constexpr std::size_t kMaxBehaviourCategories = 256;

class BehaviourFeatures {
 public:
  BehaviourFeatures() = default;
  // For a model's catalogue (null: no category or price features). Computes each category's
  // median price once; O(items).
  BehaviourFeatures(const Catalog* catalog, std::size_t item_count, BehaviourWindow window = {});

  const std::vector<std::string>& names() const { return names_; }
  std::size_t size() const { return names_.size(); }
  const BehaviourWindow& window() const { return window_; }
  const Catalog* catalog() const { return catalog_; }
  std::size_t item_count() const { return item_count_; }
  // ln(1 + median price) of a category, NaN when none of its items has a price.
  float category_median_log_price(std::uint32_t category) const { return category_median_log_price_[category]; }

  // Fills `out` (size() floats). `events` must be in time order (INVALID_ARGUMENT otherwise);
  // indices outside the model count as unknown items. LIMIT_EXCEEDED above kMaxBehaviourEvents.
  Status compute(ArrayView<BehaviourEvent> events, const BehaviourContext& context, float* out) const;

  // The manifest's "behaviour" object for these features.
  nlohmann::json manifest_json() const;

 private:
  const Catalog* catalog_ = nullptr;
  std::size_t item_count_ = 0;
  BehaviourWindow window_;
  std::vector<std::string> names_;
  std::vector<float> category_median_log_price_;
};

// "mobile" -> Device::mobile; "" -> unknown; false for any other text.
bool device_from_name(const std::string& name, Device* device);

}  // namespace shelfwise
