// Item-to-item neighbour lists from co-occurrence inside sessions.
//
// "next" (directional, for what-comes-next): every ordered pair a..b (a == b included: re-clicks
// are common) in a session with b at most
// max_gap clicks after a counts 1/gap^gap_exponent; each row is then divided by its total
// raised to row_normalisation (1 = a conditional distribution, 0 = raw counts).
// "related" (symmetric, for related items): pairs within related_window clicks, scored by cosine
// c(a,b) / sqrt(n(a) n(b)).
// Both keep the top `neighbours` entries per item, strongest first (ties by index).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "training/interaction_log.hpp"

namespace shelfwise::training {

struct ItemKnnOptions {
  std::uint32_t neighbours = 100;
  std::uint32_t max_gap = 10;
  double gap_exponent = 1.0;
  double row_normalisation = 1.0;
  std::uint32_t related_window = 10;
};

struct NeighbourLists {
  std::vector<std::uint32_t> offsets;  // item_count + 1
  std::vector<std::uint32_t> indices;
  std::vector<float> weights;
};

struct ItemKnnTables {
  NeighbourLists next;
  NeighbourLists related;
};

// `progress` is told the share of work done (0..1); it may be empty.
ItemKnnTables train_item_knn(const InteractionLog& log, std::size_t item_count, const ItemKnnOptions& options,
                             const std::function<void(double)>& progress = {});

}  // namespace shelfwise::training
