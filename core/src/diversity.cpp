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
      window_marks_(model.item_count()),
      category_first_(model.catalog() ? model.catalog()->category_count() : 0, kEndOfList) {}

// The listed pairs inside the window, by counting sort into compressed rows. Each item's list is
// read once (the lists are the expensive, scattered part); the pairs found are staged. A listed
// shown item (a pin) raises the slot's similarity at once.
void DiversitySelector::build_similarity_graph(std::size_t size) {
  pairs_.clear();
  edge_offsets_.assign(size + 1, 0);
  if (const NeighbourTable* related = model_.related_neighbours()) {
    for (std::size_t slot = 0; slot < size; ++slot) {
      const std::uint32_t item = slot_item_[slot];
      if (is_foreign_item(item)) continue;
      const auto neighbours = related->neighbours(item);
      const auto weights = related->weights(item);
      for (std::size_t entry = 0; entry < neighbours.size(); ++entry) {
        const std::uint32_t neighbour = neighbours[entry];
        if (!window_marks_.marked(neighbour) || neighbour == item) continue;
        const std::uint32_t to = window_marks_.slot(neighbour);
        if (to == kShownSlot) {
          max_similarity_[slot] = std::max(max_similarity_[slot], weights[entry]);
          continue;
        }
        pairs_.push_back({static_cast<std::uint32_t>(slot), to, weights[entry]});
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
  for (const ListedPair& pair : pairs_) {
    edge_targets_[cursor[pair.from]] = pair.to;
    edge_weights_[cursor[pair.from]++] = pair.weight;
    edge_targets_[cursor[pair.to]] = pair.from;
    edge_weights_[cursor[pair.to]++] = pair.weight;
  }
}

// One list per category through the window's slots, headed in category_first_ (which already
// costs the catalogue's category count per selection, as the chosen flags did before).
void DiversitySelector::group_by_category(std::size_t size) {
  std::fill(category_first_.begin(), category_first_.end(), kEndOfList);
  next_in_category_.resize(size);
  const Catalog* catalog = model_.catalog();
  if (catalog == nullptr) return;
  for (std::size_t slot = size; slot-- > 0;) {
    const std::uint32_t item = slot_item_[slot];
    if (is_foreign_item(item) || catalog->category_index(item) == kNoCategory) continue;
    std::uint32_t& first = category_first_[catalog->category_index(item)];
    next_in_category_[slot] = first;
    first = static_cast<std::uint32_t>(slot);
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
  const bool in_window = window_marks_.marked(item) && window_marks_.slot(item) != kShownSlot;
  if (catalog != nullptr && catalog->category_index(item) != kNoCategory) {
    // The first item shown of a category raises the window's items of that category, once.
    std::uint32_t& first = category_first_[catalog->category_index(item)];
    if (first != kCategoryShown) {
      for (std::uint32_t slot = first; slot != kEndOfList; slot = next_in_category_[slot]) {
        raise_similarity(slot, kSameCategorySimilarity, similarity_weight);
      }
      first = kCategoryShown;
    }
  }
  if (in_window) {
    const std::uint32_t slot = window_marks_.slot(item);
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
      if (!window_marks_.marked(neighbours[entry]) || window_marks_.slot(neighbours[entry]) == kShownSlot) continue;
      raise_similarity(window_marks_.slot(neighbours[entry]), weights[entry], similarity_weight);
    }
  }
}

void DiversitySelector::select(std::vector<std::uint32_t>& order, const std::vector<Candidate>& candidates,
                               std::size_t count, double lambda, const std::vector<std::uint32_t>& already_shown,
                               std::size_t window) {
  const std::size_t size = std::min({order.size(), window, kMaxDiversityWindow});
  count = std::min(count, size);
  if (count == 0) return;
  window_marks_.next_request();
  slot_item_.resize(size);
  for (std::size_t slot = 0; slot < size; ++slot) {
    const std::uint32_t item = candidates[order[slot]].item;
    slot_item_[slot] = item;
    if (!is_foreign_item(item)) window_marks_.mark(item, static_cast<std::uint32_t>(slot));
  }
  for (const std::uint32_t item : already_shown) {
    if (!is_foreign_item(item) && !window_marks_.marked(item)) window_marks_.mark(item, kShownSlot);
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
