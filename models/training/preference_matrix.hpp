// The implicit-feedback matrix ALS factorises: one row per shopper (the log's user_id, or the
// session when it has none), one column per item, r = sum of the weights of the row's events on
// the item (Hu, Koren & Volinsky: preference p = [r > 0], confidence c = 1 + alpha r).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "shelfwise/session_state.hpp"
#include "training/interaction_log.hpp"

namespace shelfwise::training {

struct PreferenceEntry {
  std::uint32_t index;  // item in a user row, user in an item column
  float weight;         // r > 0
};

struct PreferenceMatrix {
  std::size_t user_count = 0;
  std::size_t item_count = 0;
  std::vector<std::string> user_keys;  // user_id or "session:" + session id, one per row
  // Compressed rows (by user) and columns (by item), sorted by index inside each.
  std::vector<std::size_t> user_offsets;
  std::vector<PreferenceEntry> by_user;
  std::vector<std::size_t> item_offsets;
  std::vector<PreferenceEntry> by_item;
  std::size_t entries() const { return by_user.size(); }
};

// Events of weight 0 are left out. `item_count` >= the log's items (catalogue items beyond them
// get empty columns).
PreferenceMatrix build_preference_matrix(const InteractionLog& log, std::size_t item_count,
                                         const std::array<double, kEventTypeCount>& event_weights);

// The row key of a session: its user_id, or its id when anonymous.
std::string preference_row_key(const LogSession& session);

}  // namespace shelfwise::training
