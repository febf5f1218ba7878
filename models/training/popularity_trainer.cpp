#include "training/popularity_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace shelfwise::training {

std::vector<float> train_popularity(const InteractionLog& log, std::size_t item_count, const PopularityOptions& options) {
  std::vector<double> totals(item_count, 0.0);
  const double ln2 = std::log(2.0);
  std::int64_t last_time = 0;
  if (log.has_timestamps) {
    for (const auto& event : log.events) last_time = std::max(last_time, event.timestamp);
  }
  const double half_life = log.has_timestamps ? options.half_life_days * 86400.0
                                              : std::max(1.0, options.half_life_share_of_log * static_cast<double>(log.events.size()));
  // Without timestamps, sessions are taken in file order (the logs are sorted by time).
  std::size_t order = 0;
  const double end_order = static_cast<double>(log.events.size());
  for (const auto& session : log.sessions) {
    for (std::size_t offset = 0; offset < session.event_count; ++offset, ++order) {
      const LogEvent& event = log.events[session.first_event + offset];
      const double age = log.has_timestamps ? static_cast<double>(last_time - event.timestamp)
                                            : end_order - static_cast<double>(order);
      const float type_weight = event.type == EventType::purchase ? options.purchase_weight
                                : event.type == EventType::cart   ? options.cart_weight
                                                                  : options.view_weight;
      totals[event.item] += type_weight * std::exp(-ln2 * std::max(0.0, age) / half_life);
    }
  }
  const double peak = totals.empty() ? 0.0 : *std::max_element(totals.begin(), totals.end());
  std::vector<float> scores(item_count, 0.0f);
  if (peak > 0.0) {
    for (std::size_t item = 0; item < item_count; ++item) scores[item] = static_cast<float>(totals[item] / peak);
  }
  return scores;
}

std::vector<std::uint32_t> popular_head(const std::vector<float>& popularity, std::size_t count) {
  std::vector<std::uint32_t> order(popularity.size());
  std::iota(order.begin(), order.end(), 0U);
  count = std::min(count, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(),
                    [&](std::uint32_t left, std::uint32_t right) {
                      return popularity[left] > popularity[right] || (popularity[left] == popularity[right] && left < right);
                    });
  order.resize(count);
  return order;
}

}  // namespace shelfwise::training
