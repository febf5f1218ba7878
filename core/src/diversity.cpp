#include "shelfwise/diversity.hpp"

#include <algorithm>

#include "shelfwise/candidate_pool.hpp"

namespace shelfwise {

DiversitySelector::DiversitySelector(const Model& model)
    : model_(model),
      window_slot_(model.item_count(), 0),
      window_stamp_(model.item_count(), 0),
      category_chosen_(model.catalog() ? model.catalog()->category_count() : 0, 0) {}

void DiversitySelector::note_chosen(std::uint32_t item) {
  if (is_foreign_item(item)) return;
  const Catalog* catalog = model_.catalog();
  if (catalog != nullptr && catalog->category_index(item) != kNoCategory) category_chosen_[catalog->category_index(item)] = 1;
  if (window_stamp_[item] == stamp_) {
    const std::uint32_t slot = window_slot_[item];
    for (std::uint32_t edge = edge_offsets_[slot]; edge < edge_offsets_[slot + 1]; ++edge) {
      float& similarity = max_similarity_[edge_targets_[edge]];
      similarity = std::max(similarity, edge_weights_[edge]);
    }
    return;
  }
  // A chosen item outside the window (a pin): its own list reaches into the window.
  if (const NeighbourTable* related = model_.related_neighbours()) {
    const auto neighbours = related->neighbours(item);
    const auto weights = related->weights(item);
    for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
      if (window_stamp_[neighbours[entry]] != stamp_) continue;
      float& similarity = max_similarity_[window_slot_[neighbours[entry]]];
      similarity = std::max(similarity, weights[entry]);
    }
  }
}

void DiversitySelector::select(std::vector<std::uint32_t>& order, const std::vector<Candidate>& candidates,
                               std::size_t count, double lambda, const std::vector<std::uint32_t>& already_shown,
                               std::size_t window) {
  const std::size_t size = std::min(order.size(), window);
  const auto item_at = [&](std::size_t slot) { return candidates[order[slot]].item; };
  count = std::min(count, size);
  if (count == 0) return;
  if (++stamp_ == 0) {
    std::fill(window_stamp_.begin(), window_stamp_.end(), 0);
    stamp_ = 1;
  }
  std::fill(category_chosen_.begin(), category_chosen_.end(), 0);
  for (std::size_t slot = 0; slot < size; ++slot) {
    if (is_foreign_item(item_at(slot))) continue;
    window_stamp_[item_at(slot)] = stamp_;
    window_slot_[item_at(slot)] = static_cast<std::uint32_t>(slot);
  }
  // The similarity graph inside the window, by counting sort into compressed rows.
  edge_offsets_.assign(size + 1, 0);
  const NeighbourTable* related = model_.related_neighbours();
  auto for_each_pair = [&](auto&& visit) {
    if (related == nullptr) return;
    for (std::size_t slot = 0; slot < size; ++slot) {
      if (is_foreign_item(item_at(slot))) continue;
      const auto neighbours = related->neighbours(item_at(slot));
      const auto weights = related->weights(item_at(slot));
      for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
        if (window_stamp_[neighbours[entry]] != stamp_ || neighbours[entry] == item_at(slot)) continue;
        visit(static_cast<std::uint32_t>(slot), window_slot_[neighbours[entry]], weights[entry]);
      }
    }
  };
  for_each_pair([&](std::uint32_t from, std::uint32_t to, float) {
    ++edge_offsets_[from + 1];
    ++edge_offsets_[to + 1];
  });
  for (std::size_t slot = 0; slot < size; ++slot) edge_offsets_[slot + 1] += edge_offsets_[slot];
  edge_targets_.resize(edge_offsets_[size]);
  edge_weights_.resize(edge_offsets_[size]);
  // reordered_ serves as the per-row fill cursor until the picking starts.
  std::vector<std::uint32_t>& cursor = reordered_;
  cursor.assign(edge_offsets_.begin(), edge_offsets_.end() - 1);
  for_each_pair([&](std::uint32_t from, std::uint32_t to, float weight) {
    edge_targets_[cursor[from]] = to;
    edge_weights_[cursor[from]++] = weight;
    edge_targets_[cursor[to]] = from;
    edge_weights_[cursor[to]++] = weight;
  });

  max_similarity_.assign(size, 0.0f);
  taken_.assign(size, 0);
  float best_score = 0.0f;
  for (std::size_t slot = 0; slot < size; ++slot) best_score = std::max(best_score, candidates[order[slot]].score);
  const float scale = best_score > 0.0f ? 1.0f / best_score : 1.0f;
  for (const std::uint32_t item : already_shown) note_chosen(item);

  const Catalog* catalog = model_.catalog();
  reordered_.clear();
  const auto relevance_weight = static_cast<float>(lambda);
  const auto similarity_weight = static_cast<float>(1.0 - lambda);
  for (std::size_t pick = 0; pick < count; ++pick) {
    std::size_t best_slot = size;
    float best_value = 0.0f;
    for (std::size_t slot = 0; slot < size; ++slot) {
      if (taken_[slot]) continue;
      float similarity = max_similarity_[slot];
      if (catalog != nullptr && !is_foreign_item(item_at(slot))) {
        const std::uint32_t category = catalog->category_index(item_at(slot));
        if (category != kNoCategory && category_chosen_[category]) similarity = std::max(similarity, kSameCategorySimilarity);
      }
      const float value = relevance_weight * candidates[order[slot]].score * scale - similarity_weight * similarity;
      if (best_slot == size || value > best_value) {
        best_slot = slot;
        best_value = value;
      }
    }
    taken_[best_slot] = 1;
    reordered_.push_back(order[best_slot]);
    note_chosen(item_at(best_slot));
  }
  // Chosen first (in order of choice), then the rest of the window and the tail as they were.
  for (std::size_t slot = 0; slot < size; ++slot) {
    if (taken_[slot]) continue;
    reordered_.push_back(order[slot]);
  }
  std::copy(reordered_.begin(), reordered_.end(), order.begin());
}

}  // namespace shelfwise
