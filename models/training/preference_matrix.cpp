#include "training/preference_matrix.hpp"

#include <algorithm>
#include <unordered_map>

namespace shelfwise::training {

std::string preference_row_key(const LogSession& session) {
  return session.user_id.empty() ? "session:" + session.id : session.user_id;
}

PreferenceMatrix build_preference_matrix(const InteractionLog& log, std::size_t item_count,
                                         const std::array<double, kEventTypeCount>& event_weights) {
  PreferenceMatrix matrix;
  matrix.item_count = item_count;
  std::unordered_map<std::string, std::uint32_t> row_of;
  struct Triple {
    std::uint32_t user;
    std::uint32_t item;
    double weight;
  };
  std::vector<Triple> triples;
  triples.reserve(log.events.size());
  for (const LogSession& session : log.sessions) {
    auto [entry, added] = row_of.emplace(preference_row_key(session), static_cast<std::uint32_t>(matrix.user_keys.size()));
    if (added) matrix.user_keys.push_back(entry->first);
    for (std::size_t index = 0; index < session.event_count; ++index) {
      const LogEvent& event = log.events[session.first_event + index];
      const double weight = event_weights[static_cast<std::size_t>(event.type)];
      if (weight > 0.0 && event.item < item_count) triples.push_back({entry->second, event.item, weight});
    }
  }
  matrix.user_count = matrix.user_keys.size();
  std::sort(triples.begin(), triples.end(), [](const Triple& left, const Triple& right) {
    return left.user != right.user ? left.user < right.user : left.item < right.item;
  });
  // Merge repeated (user, item) pairs; the sum runs in log order within a pair (stable input order).
  std::vector<Triple> merged;
  for (const Triple& triple : triples) {
    if (!merged.empty() && merged.back().user == triple.user && merged.back().item == triple.item) {
      merged.back().weight += triple.weight;
    } else {
      merged.push_back(triple);
    }
  }
  matrix.user_offsets.assign(matrix.user_count + 1, 0);
  matrix.item_offsets.assign(item_count + 1, 0);
  for (const Triple& triple : merged) {
    ++matrix.user_offsets[triple.user + 1];
    ++matrix.item_offsets[triple.item + 1];
  }
  for (std::size_t row = 0; row < matrix.user_count; ++row) matrix.user_offsets[row + 1] += matrix.user_offsets[row];
  for (std::size_t column = 0; column < item_count; ++column) matrix.item_offsets[column + 1] += matrix.item_offsets[column];
  matrix.by_user.resize(merged.size());
  matrix.by_item.resize(merged.size());
  std::vector<std::size_t> item_fill(matrix.item_offsets.begin(), matrix.item_offsets.end() - 1);
  for (std::size_t index = 0; index < merged.size(); ++index) {
    const Triple& triple = merged[index];
    matrix.by_user[index] = {triple.item, static_cast<float>(triple.weight)};
    matrix.by_item[item_fill[triple.item]++] = {triple.user, static_cast<float>(triple.weight)};
  }
  return matrix;
}

}  // namespace shelfwise::training
