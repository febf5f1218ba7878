#include "shelfwise/behaviour_features.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shelfwise {
namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kPi = 3.14159265358979323846;
constexpr float kUnknown = std::numeric_limits<float>::quiet_NaN();

// Indices of the non-category features, after the C category shares.
enum Feature : std::size_t {
  price_log_mean,
  price_relative,
  recency_log_days,
  frequency_log_visits,
  frequency_log_events,
  visit_log_events,
  visit_log_minutes,
  visit_cart_ratio,
  ratio_cart,
  ratio_purchase,
  history_purchase_visits,
  device_desktop,
  device_mobile,
  device_tablet,
  time_hour_sin,
  time_hour_cos,
  feature_count
};

constexpr const char* kFeatureNames[feature_count] = {
    "price.log_mean",     "price.relative",        "recency.log_days", "frequency.log_visits",
    "frequency.log_events", "visit.log_events",    "visit.log_minutes", "visit.cart_ratio",
    "ratio.cart",         "ratio.purchase",        "history.purchase_visits", "device.desktop",
    "device.mobile",      "device.tablet",         "time.hour_sin",    "time.hour_cos"};

float ratio_or_unknown(double part, double whole) { return whole > 0.0 ? static_cast<float>(part / whole) : kUnknown; }

// The known prices grouped by category (a counting sort): prices[starts[c] .. starts[c + 1]) are
// category c's. Flat, in two short loops over the items: the push_back per item it replaces made
// the loop, which a load runs once per catalogue, a large function for V8 to recompile.
[[gnu::noinline]] void prices_by_category(const Catalog& catalog, std::size_t item_count, std::vector<std::uint32_t>* starts,
                                          std::vector<float>* prices) {
  const auto known = [&catalog](std::uint32_t item) {
    return catalog.category_index(item) != kNoCategory && catalog.price(item) >= 0.0f;
  };
  starts->assign(catalog.category_count() + 1, 0);
  for (std::uint32_t item = 0; item < item_count; ++item) {
    if (known(item)) ++(*starts)[catalog.category_index(item) + 1];
  }
  for (std::size_t category = 0; category < catalog.category_count(); ++category) (*starts)[category + 1] += (*starts)[category];
  prices->resize(starts->back());
  std::vector<std::uint32_t> next(starts->begin(), starts->end() - 1);
  for (std::uint32_t item = 0; item < item_count; ++item) {
    if (known(item)) (*prices)[next[catalog.category_index(item)]++] = catalog.price(item);
  }
}

// log1p of each category's median known price (kUnknown where it has none). Out of the
// constructor, which a load runs once: a loop over every item there would use up V8's tier-up
// budget and have the whole constructor recompiled (order_checks.hpp).
std::vector<float> median_log_prices(const Catalog& catalog, std::size_t item_count) {
  std::vector<std::uint32_t> starts;
  std::vector<float> prices;
  prices_by_category(catalog, item_count, &starts, &prices);
  std::vector<float> medians(catalog.category_count(), kUnknown);
  for (std::size_t category = 0; category < catalog.category_count(); ++category) {
    const auto begin = prices.begin() + starts[category];
    const auto end = prices.begin() + starts[category + 1];
    if (begin == end) continue;
    // The lower median: a value that exists, so ties and even counts need no averaging rule.
    const auto middle = begin + (end - begin - 1) / 2;
    std::nth_element(begin, middle, end);
    medians[category] = static_cast<float>(std::log1p(static_cast<double>(*middle)));
  }
  return medians;
}

}  // namespace

BehaviourFeatures::BehaviourFeatures(const Catalog* catalog, std::size_t item_count, BehaviourWindow window)
    : catalog_(catalog), item_count_(item_count), window_(window) {
  // A catalogue with very many categories would make the vector mostly zeros; it keeps prices only.
  const std::size_t categories =
      catalog != nullptr && catalog->category_count() <= kMaxBehaviourCategories ? catalog->category_count() : 0;
  for (std::size_t category = 0; category < categories; ++category) {
    names_.push_back("category." + std::string(catalog->category_label(static_cast<std::uint32_t>(category))));
  }
  for (const char* name : kFeatureNames) names_.emplace_back(name);
  if (catalog != nullptr) category_median_log_price_ = median_log_prices(*catalog, item_count);
}

Status BehaviourFeatures::compute(ArrayView<BehaviourEvent> events, const BehaviourContext& context, float* out) const {
  if (events.size() > kMaxBehaviourEvents) {
    return Status(ErrorCode::limit_exceeded, "behaviour events: " + std::to_string(events.size()) + " given; at most " +
                                                 std::to_string(kMaxBehaviourEvents));
  }
  if (!std::isfinite(context.now)) return Status(ErrorCode::invalid_argument, "behaviour context 'now' must be finite");
  for (std::size_t index = 0; index < events.size(); ++index) {
    if (!std::isfinite(events[index].time)) {
      return Status(ErrorCode::invalid_argument, "behaviour event " + std::to_string(index) + " has a non-finite time");
    }
    if (index > 0 && events[index].time < events[index - 1].time) {
      return Status(ErrorCode::invalid_argument, "behaviour events must be in time order (event " +
                                                     std::to_string(index) + " is earlier than the one before)");
    }
  }
  // The window: not after now, not older than history_days, the latest max_events.
  const double oldest = context.now - window_.history_days * kSecondsPerDay;
  std::size_t end = events.size();
  while (end > 0 && events[end - 1].time > context.now) --end;
  std::size_t begin = 0;
  while (begin < end && events[begin].time < oldest) ++begin;
  if (end - begin > window_.max_events) begin = end - window_.max_events;

  const std::size_t categories = names_.size() - feature_count;
  float* shares = out;
  float* rest = out + categories;
  std::fill(out, out + names_.size(), 0.0f);

  double categorised = 0.0, priced = 0.0, log_price_sum = 0.0, relative_sum = 0.0, relative_count = 0.0;
  double carts = 0.0, purchases = 0.0;
  double visits = 0.0, earlier_visits_with_purchase = 0.0;
  bool visit_has_purchase = false;
  std::size_t latest_visit_begin = begin;
  for (std::size_t index = begin; index < end; ++index) {
    const BehaviourEvent& event = events[index];
    if (index == begin || event.time - events[index - 1].time > window_.visit_gap_seconds) {
      if (index != begin && visit_has_purchase) earlier_visits_with_purchase += 1.0;
      visits += 1.0;
      visit_has_purchase = false;
      latest_visit_begin = index;
    }
    if (event.type == EventType::cart) carts += 1.0;
    if (event.type == EventType::purchase) {
      purchases += 1.0;
      visit_has_purchase = true;
    }
    if (catalog_ == nullptr || event.item >= item_count_) continue;
    const std::uint32_t category = catalog_->category_index(event.item);
    if (category != kNoCategory && categories > 0) {
      shares[category] += 1.0f;
      categorised += 1.0;
    }
    const float price = catalog_->price(event.item);
    if (price >= 0.0f) {
      const double log_price = std::log1p(static_cast<double>(price));
      log_price_sum += log_price;
      priced += 1.0;
      if (category != kNoCategory && std::isfinite(category_median_log_price_[category])) {
        relative_sum += log_price - category_median_log_price_[category];
        relative_count += 1.0;
      }
    }
  }
  for (std::size_t category = 0; category < categories; ++category) {
    shares[category] = categorised > 0.0 ? static_cast<float>(shares[category] / categorised) : kUnknown;
  }
  const double window_events = static_cast<double>(end - begin);
  const bool in_visit = end > begin && context.now - events[end - 1].time <= window_.visit_gap_seconds;
  // Earlier visits: every run when the latest one is over, the runs before it otherwise.
  const std::size_t visit_begin = in_visit ? latest_visit_begin : end;
  const double earlier_visits = in_visit ? visits - 1.0 : visits;
  if (!in_visit && visit_has_purchase) earlier_visits_with_purchase += 1.0;
  double visit_carts = 0.0;
  for (std::size_t index = visit_begin; index < end; ++index) {
    if (events[index].type == EventType::cart) visit_carts += 1.0;
  }
  const double visit_events = static_cast<double>(end - visit_begin);
  const double last_earlier_time = visit_begin > begin ? events[visit_begin - 1].time : 0.0;

  rest[price_log_mean] = priced > 0.0 ? static_cast<float>(log_price_sum / priced) : kUnknown;
  rest[price_relative] = relative_count > 0.0 ? static_cast<float>(relative_sum / relative_count) : kUnknown;
  rest[recency_log_days] =
      earlier_visits > 0.0 ? static_cast<float>(std::log1p(std::max(0.0, context.now - last_earlier_time) / kSecondsPerDay))
                           : kUnknown;
  rest[frequency_log_visits] = static_cast<float>(std::log1p(visits + (in_visit ? 0.0 : 1.0)));
  rest[frequency_log_events] = static_cast<float>(std::log1p(window_events));
  rest[visit_log_events] = static_cast<float>(std::log1p(visit_events));
  rest[visit_log_minutes] =
      visit_events > 0.0 ? static_cast<float>(std::log1p(std::max(0.0, context.now - events[visit_begin].time) / 60.0)) : 0.0f;
  rest[visit_cart_ratio] = ratio_or_unknown(visit_carts, visit_events);
  rest[ratio_cart] = ratio_or_unknown(carts, window_events);
  rest[ratio_purchase] = ratio_or_unknown(purchases, window_events);
  rest[history_purchase_visits] = ratio_or_unknown(earlier_visits_with_purchase, earlier_visits);
  if (context.device == Device::unknown) {
    rest[device_desktop] = rest[device_mobile] = rest[device_tablet] = kUnknown;
  } else {
    rest[device_desktop] = context.device == Device::desktop ? 1.0f : 0.0f;
    rest[device_mobile] = context.device == Device::mobile ? 1.0f : 0.0f;
    rest[device_tablet] = context.device == Device::tablet ? 1.0f : 0.0f;
  }
  if (context.local_hour >= 0.0 && context.local_hour < 24.0) {
    const double angle = 2.0 * kPi * context.local_hour / 24.0;
    rest[time_hour_sin] = static_cast<float>(std::sin(angle));
    rest[time_hour_cos] = static_cast<float>(std::cos(angle));
  } else {
    rest[time_hour_sin] = rest[time_hour_cos] = kUnknown;
  }
  return Status::ok_status();
}

nlohmann::json BehaviourFeatures::manifest_json() const {
  return {{"features", names_},
          {"visit_gap_seconds", window_.visit_gap_seconds},
          {"history_days", window_.history_days},
          {"max_events", window_.max_events}};
}

bool device_from_name(const std::string& name, Device* device) {
  if (name.empty()) *device = Device::unknown;
  else if (name == "desktop") *device = Device::desktop;
  else if (name == "mobile") *device = Device::mobile;
  else if (name == "tablet") *device = Device::tablet;
  else return false;
  return true;
}

}  // namespace shelfwise
