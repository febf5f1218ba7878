#include "training/co_purchase_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace shelfwise::training {

NeighbourLists train_co_purchase(const InteractionLog& log, std::size_t item_count, const CoPurchaseOptions& options) {
  std::vector<std::uint64_t> pairs;  // source << 32 | target, once per session and direction
  std::vector<double> baskets(item_count, 0.0);
  std::vector<std::uint32_t> basket;
  for (const LogSession& session : log.sessions) {
    basket.clear();
    const LogEvent* events = log.events.data() + session.first_event;
    for (std::size_t event = 0; event < session.event_count; ++event) {
      if (events[event].type == EventType::view || events[event].item >= item_count) continue;
      basket.push_back(events[event].item);
    }
    std::sort(basket.begin(), basket.end());
    basket.erase(std::unique(basket.begin(), basket.end()), basket.end());
    for (const std::uint32_t item : basket) baskets[item] += 1.0;
    for (std::size_t first = 0; first < basket.size(); ++first) {
      for (std::size_t second = first + 1; second < basket.size(); ++second) {
        pairs.push_back((static_cast<std::uint64_t>(basket[first]) << 32) | basket[second]);
        pairs.push_back((static_cast<std::uint64_t>(basket[second]) << 32) | basket[first]);
      }
    }
  }
  std::sort(pairs.begin(), pairs.end());

  NeighbourLists lists;
  lists.offsets.assign(item_count + 1, 0);
  std::vector<std::pair<float, std::uint32_t>> row;
  std::size_t start = 0;
  std::uint32_t filled_rows = 0;
  auto stronger = [](const std::pair<float, std::uint32_t>& left, const std::pair<float, std::uint32_t>& right) {
    return left.first > right.first || (left.first == right.first && left.second < right.second);
  };
  while (start < pairs.size()) {
    const auto source = static_cast<std::uint32_t>(pairs[start] >> 32);
    row.clear();
    std::size_t end = start;
    while (end < pairs.size() && (pairs[end] >> 32) == source) {
      std::size_t same = end;
      while (same < pairs.size() && pairs[same] == pairs[end]) ++same;
      const auto together = static_cast<double>(same - end);
      const auto target = static_cast<std::uint32_t>(pairs[end] & 0xFFFFFFFFU);
      if (together >= options.min_sessions) {
        row.emplace_back(static_cast<float>(together / std::sqrt(baskets[source] * baskets[target])), target);
      }
      end = same;
    }
    const std::size_t kept = std::min<std::size_t>(options.neighbours, row.size());
    std::partial_sort(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(kept), row.end(), stronger);
    while (filled_rows < source) lists.offsets[++filled_rows] = static_cast<std::uint32_t>(lists.indices.size());
    for (std::size_t entry = 0; entry < kept; ++entry) {
      lists.indices.push_back(row[entry].second);
      lists.weights.push_back(row[entry].first);
    }
    start = end;
  }
  while (filled_rows < item_count) lists.offsets[++filled_rows] = static_cast<std::uint32_t>(lists.indices.size());
  return lists;
}

}  // namespace shelfwise::training
