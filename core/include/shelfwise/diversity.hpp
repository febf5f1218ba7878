// Diversity by maximal marginal relevance (Carbonell & Goldstein, 1998): items are chosen one at
// a time, each maximising
//     lambda * relevance(i) - (1 - lambda) * max over chosen j of similarity(i, j)
// where relevance is the candidate's score divided by the best score of the window (so in [0, 1]),
// lambda = 1 keeps the relevance order and lambda = 0 only avoids similar items.
//
// similarity(i, j) = max(cosine(i, j), 0.5 if i and j share a catalogue category else 0), with
// cosine the co-occurrence cosine of the model's symmetric "related" lists, as listed in either
// item's list (0 when neither lists the other, or the model has no lists). The category term
// keeps a page from filling with one category even where the lists are silent; at 0.5 it stays
// below a strong co-view, so on a page of one category the lists still separate near-duplicates.
// Items unknown to the model are similar to nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "shelfwise/candidate_pool.hpp"
#include "shelfwise/model.hpp"
#include "shelfwise/slot_marks.hpp"

namespace shelfwise {

inline constexpr float kSameCategorySimilarity = 0.5f;
// MMR re-ranks at most this many candidates; the rest keep their order.
inline constexpr std::size_t kMaxDiversityWindow = 8000;

class DiversitySelector {
 public:
  // Scratch sized for the model once.
  explicit DiversitySelector(const Model& model);

  // Reorders `order` (indices into `candidates`, by decreasing score on entry) so that the first
  // `count` are the MMR choices, in the order chosen; the rest keep their order. `already_shown`
  // (pinned items) count as chosen before the first pick. Only the first `window` entries (at
  // most kMaxDiversityWindow) are considered (MMR re-ranks a head, not the whole catalogue).
  void select(std::vector<std::uint32_t>& order, const std::vector<Candidate>& candidates, std::size_t count,
              double lambda, const std::vector<std::uint32_t>& already_shown, std::size_t window);

 private:
  void build_similarity_graph(std::size_t size);
  void group_by_category(std::size_t size);
  // Raises the window's similarities to everything `item` now shown, re-valuing what changed.
  void note_chosen(std::uint32_t item, float similarity_weight);
  void raise_similarity(std::uint32_t slot, float similarity, float similarity_weight);

  // Each item in the window is marked with its slot (13 bits: the stamp wraps after 2^19
  // selections); a shown item outside it (a pin) with kShownSlot.
  using WindowMarks = SlotMarks<13>;
  static constexpr std::uint32_t kShownSlot = WindowMarks::kSlotMask;
  static_assert(kMaxDiversityWindow < kShownSlot, "window slots must fit below kShownSlot");

  const Model& model_;
  WindowMarks window_marks_;
  // Per window slot: the item, lambda * relevance, max similarity to the shown items, and the MMR
  // value (lowest float once taken). Only slots a choice touches are re-valued, so each pick is
  // one scan of a float array.
  std::vector<std::uint32_t> slot_item_;
  std::vector<float> relevance_;
  std::vector<float> max_similarity_;
  std::vector<float> value_;
  // Per category: the first window slot of its list (next_in_category_ links the rest), or
  // kCategoryShown once an item of it is shown.
  static constexpr std::uint32_t kEndOfList = 0xFFFFFFFFu;
  static constexpr std::uint32_t kCategoryShown = 0xFFFFFFFEu;
  std::vector<std::uint32_t> category_first_;
  std::vector<std::uint32_t> next_in_category_;
  // Window-internal similarity graph in compressed rows (both directions of every listed pair).
  struct ListedPair {
    std::uint32_t from;
    std::uint32_t to;
    float weight;
  };
  std::vector<ListedPair> pairs_;
  std::vector<std::uint32_t> edge_offsets_;
  std::vector<std::uint32_t> edge_targets_;
  std::vector<float> edge_weights_;
  std::vector<std::uint32_t> reordered_;
};

}  // namespace shelfwise
