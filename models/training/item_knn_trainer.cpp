#include "training/item_knn_trainer.hpp"

#include <algorithm>
#include <cmath>

namespace shelfwise::training {
namespace {

struct PairWeight {
  std::uint64_t key;  // source << 32 | target
  double weight;
};

std::uint64_t pair_key(std::uint32_t source, std::uint32_t target) {
  return (static_cast<std::uint64_t>(source) << 32) | target;
}

// Sorts by key and merges equal keys, summing weights.
void merge_pairs(std::vector<PairWeight>& pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const PairWeight& left, const PairWeight& right) { return left.key < right.key; });
  std::size_t write = 0;
  for (std::size_t read = 0; read < pairs.size(); ++read) {
    if (write > 0 && pairs[write - 1].key == pairs[read].key) {
      pairs[write - 1].weight += pairs[read].weight;
    } else {
      pairs[write++] = pairs[read];
    }
  }
  pairs.resize(write);
}

// Keeps the strongest `keep` entries of each row; `score` maps (source, target, merged weight)
// to the stored weight.
template <typename ScoreFunction>
NeighbourLists build_rows(const std::vector<PairWeight>& pairs, std::size_t item_count, std::uint32_t keep,
                          ScoreFunction score) {
  NeighbourLists lists;
  lists.offsets.assign(item_count + 1, 0);
  std::vector<std::pair<float, std::uint32_t>> row;
  std::size_t start = 0;
  std::uint32_t current_row = 0;
  auto flush_rows_until = [&](std::uint32_t row_limit) {
    while (current_row < row_limit) lists.offsets[++current_row] = static_cast<std::uint32_t>(lists.indices.size());
  };
  while (start < pairs.size()) {
    const auto source = static_cast<std::uint32_t>(pairs[start].key >> 32);
    std::size_t end = start;
    row.clear();
    while (end < pairs.size() && static_cast<std::uint32_t>(pairs[end].key >> 32) == source) {
      const auto target = static_cast<std::uint32_t>(pairs[end].key & 0xFFFFFFFFU);
      const float weight = static_cast<float>(score(source, target, pairs[end].weight));
      if (weight > 0.0f && std::isfinite(weight)) row.emplace_back(weight, target);
      ++end;
    }
    const std::size_t kept = std::min<std::size_t>(keep, row.size());
    auto stronger = [](const std::pair<float, std::uint32_t>& left, const std::pair<float, std::uint32_t>& right) {
      return left.first > right.first || (left.first == right.first && left.second < right.second);
    };
    std::partial_sort(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(kept), row.end(), stronger);
    flush_rows_until(source);
    for (std::size_t entry = 0; entry < kept; ++entry) {
      lists.indices.push_back(row[entry].second);
      lists.weights.push_back(row[entry].first);
    }
    start = end;
  }
  flush_rows_until(static_cast<std::uint32_t>(item_count));
  return lists;
}

}  // namespace

ItemKnnTables train_item_knn(const InteractionLog& log, std::size_t item_count, const ItemKnnOptions& options,
                             const std::function<void(double)>& progress) {
  std::vector<PairWeight> next_pairs;
  std::vector<PairWeight> related_pairs;
  std::vector<double> occurrences(item_count, 0.0);
  const std::size_t session_count = log.sessions.size();
  std::vector<double> gap_weight(options.max_gap + 1, 0.0);
  for (std::uint32_t gap = 1; gap <= options.max_gap; ++gap) gap_weight[gap] = 1.0 / std::pow(gap, options.gap_exponent);

  for (std::size_t session_index = 0; session_index < session_count; ++session_index) {
    const LogSession& session = log.sessions[session_index];
    const LogEvent* events = log.events.data() + session.first_event;
    for (std::size_t first = 0; first < session.event_count; ++first) {
      const std::uint32_t source = events[first].item;
      occurrences[source] += 1.0;
      const std::size_t reach = std::max<std::size_t>(options.max_gap, options.related_window);
      for (std::size_t second = first + 1; second < session.event_count && second - first <= reach; ++second) {
        const std::uint32_t target = events[second].item;
        const std::size_t gap = second - first;
        // Re-clicking the same item is a real next event (about a tenth of them in retail logs),
        // so "next" keeps self-pairs; "related" must not list an item as related to itself.
        if (gap <= options.max_gap) next_pairs.push_back({pair_key(source, target), gap_weight[gap]});
        if (target != source && gap <= options.related_window) {
          related_pairs.push_back({pair_key(source, target), 1.0});
          related_pairs.push_back({pair_key(target, source), 1.0});
        }
      }
    }
    if (progress && session_index % 4096 == 0) progress(0.5 * static_cast<double>(session_index) / static_cast<double>(session_count));
  }
  if (progress) progress(0.5);
  merge_pairs(next_pairs);
  if (progress) progress(0.65);
  merge_pairs(related_pairs);
  if (progress) progress(0.8);

  std::vector<double> row_totals(item_count, 0.0);
  for (const auto& pair : next_pairs) row_totals[pair.key >> 32] += pair.weight;
  ItemKnnTables tables;
  tables.next = build_rows(next_pairs, item_count, options.neighbours,
                           [&](std::uint32_t source, std::uint32_t, double weight) {
                             return weight / std::pow(row_totals[source], options.row_normalisation);
                           });
  if (progress) progress(0.9);
  tables.related = build_rows(related_pairs, item_count, options.neighbours,
                              [&](std::uint32_t source, std::uint32_t target, double weight) {
                                return weight / std::sqrt(occurrences[source] * occurrences[target]);
                              });
  if (progress) progress(1.0);
  return tables;
}

}  // namespace shelfwise::training
