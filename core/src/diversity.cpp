#include "shelfwise/diversity.hpp"

#include <algorithm>
#include <limits>

#include "shelfwise/candidate_pool.hpp"

namespace shelfwise {

namespace {

constexpr float kTaken = std::numeric_limits<float>::lowest();

}  // namespace

DiversitySelector::DiversitySelector(const Model& model)
    : model_(model),
      window_mark_(model.item_count(), 0),
      category_chosen_(model.catalog() ? model.catalog()->category_count() : 0, 0) {}

// The listed pairs inside the window, by counting sort into compressed rows. Each item's list is
// read once (the lists are the expensive, scattered part); the pairs found are staged. A listed
// shown item (a pin) raises the slot's similarity at once.
void DiversitySelector::build_similarity_graph(std::size_t size) {
  pair_from_.clear();
  pair_to_.clear();
  pair_weight_.clear();
  edge_offsets_.assign(size + 1, 0);
  if (const NeighbourTable* related = model_.related_neighbours()) {
    for (std::size_t slot = 0; slot < size; ++slot) {
      const std::uint32_t item = slot_item_[slot];
      if (is_foreign_item(item)) continue;
      const auto neighbours = related->neighbours(item);
      const auto weights = related->weights(item);
      for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
        const std::uint32_t neighbour = neighbours[entry];
        if (!marked(neighbour) || neighbour == item) continue;
        const std::uint32_t to = slot_of(neighbour);
        if (to == kShownSlot) {
          max_similarity_[slot] = std::max(max_similarity_[slot], weights[entry]);
          continue;
        }
        pair_from_.push_back(static_cast<std::uint32_t>(slot));
        pair_to_.push_back(to);
        pair_weight_.push_back(weights[entry]);
        ++edge_offsets_[slot + 1];
        ++edge_offsets_[to + 1];
      }
    }
  }
  for (std::size_t slot = 0; slot < size; ++slot) edge_offsets_[slot + 1] += edge_offsets_[slot];
  edge_targets_.resize(edge_offsets_[size]);
  edge_weights_.resize(edge_offsets_[size]);
  // reordered_ serves as the per-row fill cursor until the picking starts.
  std::vector<std::uint32_t>& cursor = reordered_;
  cursor.assign(edge_offsets_.begin(), edge_offsets_.end() - 1);
  for (std::size_t pair = 0; pair < pair_from_.size(); ++pair) {
    const std::uint32_t from = pair_from_[pair];
    const std::uint32_t to = pair_to_[pair];
    edge_targets_[cursor[from]] = to;
    edge_weights_[cursor[from]++] = pair_weight_[pair];
    edge_targets_[cursor[to]] = from;
    edge_weights_[cursor[to]++] = pair_weight_[pair];
  }
}

// Sorting the window's (category, slot) pairs costs O(window log window), never the catalogue's
// category count.
void DiversitySelector::group_by_category(std::size_t size) {
  const Catalog* catalog = model_.catalog();
  category_slots_.clear();
  group_begin_.assign(size, 0);
  group_end_.assign(size, 0);
  if (catalog == nullptr) return;
  const auto category_of = [&](std::uint32_t slot) { return catalog->category_index(slot_item_[slot]); };
  for (std::size_t slot = 0; slot < size; ++slot) {
    if (!is_foreign_item(slot_item_[slot]) && category_of(static_cast<std::uint32_t>(slot)) != kNoCategory) {
      category_slots_.push_back(static_cast<std::uint32_t>(slot));
    }
  }
  std::sort(category_slots_.begin(), category_slots_.end(), [&](std::uint32_t left, std::uint32_t right) {
    const std::uint32_t a = category_of(left);
    const std::uint32_t b = category_of(right);
    return a != b ? a < b : left < right;
  });
  for (std::size_t begin = 0; begin < category_slots_.size();) {
    std::size_t end = begin + 1;
    while (end < category_slots_.size() && category_of(category_slots_[end]) == category_of(category_slots_[begin])) ++end;
    for (std::size_t entry = begin; entry < end; ++entry) {
      group_begin_[category_slots_[entry]] = static_cast<std::uint32_t>(begin);
      group_end_[category_slots_[entry]] = static_cast<std::uint32_t>(end);
    }
    begin = end;
  }
}

void DiversitySelector::raise_similarity(std::uint32_t slot, float similarity, float similarity_weight) {
  if (similarity <= max_similarity_[slot]) return;
  max_similarity_[slot] = similarity;
  if (value_[slot] != kTaken) value_[slot] = relevance_[slot] - similarity_weight * similarity;
}

void DiversitySelector::note_chosen(std::uint32_t item, float similarity_weight) {
  if (is_foreign_item(item)) return;
  const Catalog* catalog = model_.catalog();
  const bool in_window = marked(item) && slot_of(item) != kShownSlot;
  if (catalog != nullptr && catalog->category_index(item) != kNoCategory) {
    const std::uint32_t category = catalog->category_index(item);
    if (!category_chosen_[category]) {
      category_chosen_[category] = 1;
      // The window's items of this category: found through the item's own group, or (a pin from
      // outside the window) by scanning the groups once.
      std::size_t begin = 0;
      std::size_t end = 0;
      if (in_window) {
        begin = group_begin_[slot_of(item)];
        end = group_end_[slot_of(item)];
      } else {
        while (begin < category_slots_.size() && catalog->category_index(slot_item_[category_slots_[begin]]) != category) {
          begin = group_end_[category_slots_[begin]];
        }
        end = begin < category_slots_.size() ? group_end_[category_slots_[begin]] : begin;
      }
      for (std::size_t entry = begin; entry < end; ++entry) {
        raise_similarity(category_slots_[entry], kSameCategorySimilarity, similarity_weight);
      }
    }
  }
  if (in_window) {
    const std::uint32_t slot = slot_of(item);
    for (std::uint32_t edge = edge_offsets_[slot]; edge < edge_offsets_[slot + 1]; ++edge) {
      raise_similarity(edge_targets_[edge], edge_weights_[edge], similarity_weight);
    }
    return;
  }
  // A chosen item outside the window (a pin): its own list reaches into the window (the window's
  // lists that name it were read with the graph).
  if (const NeighbourTable* related = model_.related_neighbours()) {
    const auto neighbours = related->neighbours(item);
    const auto weights = related->weights(item);
    for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
      if (!marked(neighbours[entry]) || slot_of(neighbours[entry]) == kShownSlot) continue;
      raise_similarity(slot_of(neighbours[entry]), weights[entry], similarity_weight);
    }
  }
}

void DiversitySelector::select(std::vector<std::uint32_t>& order, const std::vector<Candidate>& candidates,
                               std::size_t count, double lambda, const std::vector<std::uint32_t>& already_shown,
                               std::size_t window) {
  const std::size_t size = std::min({order.size(), window, kMaxDiversityWindow});
  count = std::min(count, size);
  if (count == 0) return;
  if (++stamp_ == kStampLimit) {
    std::fill(window_mark_.begin(), window_mark_.end(), 0);
    stamp_ = 1;
  }
  std::fill(category_chosen_.begin(), category_chosen_.end(), 0);
  slot_item_.resize(size);
  for (std::size_t slot = 0; slot < size; ++slot) {
    const std::uint32_t item = candidates[order[slot]].item;
    slot_item_[slot] = item;
    if (!is_foreign_item(item)) mark(item, static_cast<std::uint32_t>(slot));
  }
  for (const std::uint32_t item : already_shown) {
    if (!is_foreign_item(item) && !marked(item)) mark(item, kShownSlot);
  }
  max_similarity_.assign(size, 0.0f);
  build_similarity_graph(size);
  group_by_category(size);

  float best_score = 0.0f;
  for (std::size_t slot = 0; slot < size; ++slot) best_score = std::max(best_score, candidates[order[slot]].score);
  const float scale = best_score > 0.0f ? 1.0f / best_score : 1.0f;
  const auto relevance_weight = static_cast<float>(lambda);
  const auto similarity_weight = static_cast<float>(1.0 - lambda);
  relevance_.resize(size);
  value_.resize(size);
  for (std::size_t slot = 0; slot < size; ++slot) {
    relevance_[slot] = relevance_weight * candidates[order[slot]].score * scale;
    value_[slot] = relevance_[slot] - similarity_weight * max_similarity_[slot];
  }
  for (const std::uint32_t item : already_shown) note_chosen(item, similarity_weight);

  reordered_.clear();
  for (std::size_t pick = 0; pick < count; ++pick) {
    // Ties go to the earlier (more relevant) slot.
    std::size_t best_slot = 0;
    float best_value = value_[0];
    for (std::size_t slot = 1; slot < size; ++slot) {
      if (value_[slot] > best_value) {
        best_slot = slot;
        best_value = value_[slot];
      }
    }
    value_[best_slot] = kTaken;
    reordered_.push_back(order[best_slot]);
    note_chosen(slot_item_[best_slot], similarity_weight);
  }
  // Chosen first (in order of choice), then the rest of the window and the tail as they were.
  for (std::size_t slot = 0; slot < size; ++slot) {
    if (value_[slot] != kTaken) reordered_.push_back(order[slot]);
  }
  std::copy(reordered_.begin(), reordered_.end(), order.begin());
}

}  // namespace shelfwise
