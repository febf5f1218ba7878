// The stored sessions of a session-kNN ("sknn") model: the most recent `max_sessions` sessions
// of the training log as the two CSR tables of core/include/shelfwise/session_index.hpp, plus an
// IDF weight per item. Nothing is learnt beyond counting: V-SKNN's quality comes from how the
// stored sessions are searched and weighted at inference (SessionKnnConfig, tuned on validation).
#pragma once

#include <cstdint>
#include <vector>

#include "training/interaction_log.hpp"

namespace shelfwise::training {

struct SessionKnnOptions {
  // Sessions kept, the most recent ones; 0 keeps all. Recency is the session's latest timestamp
  // when every row has one, else the order of the log (the session datasets are sorted by date).
  std::size_t max_sessions = 0;
};

struct SessionKnnTables {
  std::vector<std::uint32_t> session_offsets;  // kept sessions + 1, oldest session first
  std::vector<std::uint32_t> session_items;    // distinct items of each session, by first click
  std::vector<std::uint32_t> item_offsets;     // item_count + 1
  std::vector<std::uint32_t> item_sessions;    // per item, most recent session first
  // log(sessions / sessions holding the item), over the whole log (not only the kept sessions):
  // rarity is a property of the item, better estimated from all the data; 0 for unseen items.
  std::vector<float> item_weight;
};

SessionKnnTables train_session_knn(const InteractionLog& log, std::size_t item_count, const SessionKnnOptions& options);

}  // namespace shelfwise::training
