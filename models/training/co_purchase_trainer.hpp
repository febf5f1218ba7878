// "Frequently bought together": a symmetric neighbour list per item from the items a session put
// in its cart or bought. Every session counts a pair (a, b) of distinct such items once, however
// often either was carted; the weight is the cosine c(a, b) / sqrt(n(a) n(b)), n being the number
// of sessions that carted or bought the item. Pairs seen in fewer than `min_sessions` sessions are
// dropped (a single co-cart is often chance). Views never count: this is what people buy
// together, not what they look at together (that is item_knn_trainer's "related").
#pragma once

#include <cstdint>

#include "training/interaction_log.hpp"
#include "training/item_knn_trainer.hpp"

namespace shelfwise::training {

struct CoPurchaseOptions {
  std::uint32_t neighbours = 20;
  std::uint32_t min_sessions = 1;
};

// Rows aligned with the first `item_count` items; empty rows for items never carted with another.
NeighbourLists train_co_purchase(const InteractionLog& log, std::size_t item_count, const CoPurchaseOptions& options);

}  // namespace shelfwise::training
