#include "shelfwise/session_features.hpp"

#include <algorithm>
#include <cmath>

#include "shelfwise/model.hpp"

namespace shelfwise {

const char* const kSessionFeatureNames[kSessionFeatureCount] = {
    "log_events",         "distinct_item_share", "cart_share",     "latest_is_cart",      "has_cart",
    "latest_seen_before", "has_times",           "log_mean_gap_s", "log_latest_gap_s",    "distinct_category_share",
    "latest_category_share", "latest_popularity", "log_latest_price"};

SessionFeatureExtractor::SessionFeatureExtractor(const Model& model)
    : model_(&model),
      item_stamp_(model.item_count(), 0),
      category_stamp_(model.catalog() ? model.catalog()->category_count() : 0, 0),
      category_events_(model.catalog() ? model.catalog()->category_count() : 0, 0) {
  const Catalog* catalog = model.catalog();
  if (catalog == nullptr) return;
  const std::size_t categories = catalog->category_count();
  std::vector<double> mass(categories, 0.0);
  double total = 0.0;
  for (std::uint32_t item = 0; item < model.item_count(); ++item) {
    const std::uint32_t category = catalog->category_index(item);
    if (category == kNoCategory) continue;
    mass[category] += model.popularity()[item];
    total += model.popularity()[item];
  }
  category_prior_.resize(categories);
  for (std::size_t category = 0; category < categories; ++category) {
    category_prior_[category] = static_cast<float>(std::log(total > 0.0 ? mass[category] / total + 1e-6 : 1.0 / categories));
  }
  category_features_.assign(categories * kCategoryFeatureCount, 0.0f);
}

ArrayView<float> SessionFeatureExtractor::category_features(ArrayView<SessionEvent> events) {
  const Catalog* catalog = model_->catalog();
  if (catalog == nullptr) return {};
  const std::size_t categories = category_prior_.size();
  for (std::size_t category = 0; category < categories; ++category) {
    category_features_[category * kCategoryFeatureCount] = 0.0f;
    category_features_[category * kCategoryFeatureCount + 1] = 0.0f;
    category_features_[category * kCategoryFeatureCount + 2] = category_prior_[category];
  }
  float weight = 1.0f;
  float total = 0.0f;
  bool latest = true;
  for (auto event = events.end(); event != events.begin();) {
    --event;
    if (event->item >= model_->item_count()) continue;
    const std::uint32_t category = catalog->category_index(event->item);
    if (category != kNoCategory) {
      category_features_[category * kCategoryFeatureCount] += weight;
      if (latest) category_features_[category * kCategoryFeatureCount + 1] = 1.0f;
    }
    latest = false;
    total += weight;
    weight *= 0.7f;
    if (weight < 1e-4f) break;
  }
  if (total > 0.0f) {
    for (std::size_t category = 0; category < categories; ++category) category_features_[category * kCategoryFeatureCount] /= total;
  }
  return {category_features_.data(), category_features_.size()};
}

SessionFeatures SessionFeatureExtractor::compute(ArrayView<SessionEvent> events) {
  SessionFeatures features{};
  if (++stamp_ == 0) {
    std::fill(item_stamp_.begin(), item_stamp_.end(), 0);
    std::fill(category_stamp_.begin(), category_stamp_.end(), 0);
    stamp_ = 1;
  }
  const std::size_t item_count = model_->item_count();
  const Catalog* catalog = model_->catalog();
  std::uint32_t count = 0;
  std::uint32_t distinct = 0;
  std::uint32_t carts = 0;
  std::uint32_t distinct_categories = 0;
  std::uint32_t timed = 0;
  double gap_total = 0.0;
  double previous_time = 0.0;
  double latest_gap = 0.0;
  bool latest_seen_before = false;
  const SessionEvent* latest = nullptr;
  for (const SessionEvent& event : events) {
    if (event.item >= item_count) continue;
    ++count;
    latest_seen_before = item_stamp_[event.item] == stamp_;
    if (!latest_seen_before) {
      item_stamp_[event.item] = stamp_;
      ++distinct;
    }
    if (event.type == EventType::cart) ++carts;
    if (catalog != nullptr) {
      const std::uint32_t category = catalog->category_index(event.item);
      if (category != kNoCategory) {
        if (category_stamp_[category] != stamp_) {
          category_stamp_[category] = stamp_;
          category_events_[category] = 0;
          ++distinct_categories;
        }
        ++category_events_[category];
      }
    }
    if (event.time > 0.0) {
      if (timed > 0) {
        latest_gap = std::max(0.0, event.time - previous_time);
        gap_total += latest_gap;
      }
      previous_time = event.time;
      ++timed;
    }
    latest = &event;
  }
  if (latest == nullptr) return features;
  features[0] = static_cast<float>(std::log1p(static_cast<double>(count)));
  features[1] = static_cast<float>(distinct) / static_cast<float>(count);
  features[2] = static_cast<float>(carts) / static_cast<float>(count);
  features[3] = latest->type == EventType::cart ? 1.0f : 0.0f;
  features[4] = carts > 0 ? 1.0f : 0.0f;
  features[5] = latest_seen_before ? 1.0f : 0.0f;
  if (timed >= 2) {
    features[6] = 1.0f;
    features[7] = static_cast<float>(std::log1p(gap_total / static_cast<double>(timed - 1)));
    features[8] = latest->time > 0.0 ? static_cast<float>(std::log1p(latest_gap)) : 0.0f;
  }
  if (catalog != nullptr) {
    if (distinct > 0) features[9] = static_cast<float>(distinct_categories) / static_cast<float>(distinct);
    const std::uint32_t category = catalog->category_index(latest->item);
    if (category != kNoCategory) features[10] = static_cast<float>(category_events_[category]) / static_cast<float>(count);
    const float price = catalog->price(latest->item);
    if (price >= 0.0f) features[12] = static_cast<float>(std::log1p(static_cast<double>(price)));
  }
  features[11] = model_->popularity()[latest->item];
  return features;
}

}  // namespace shelfwise
