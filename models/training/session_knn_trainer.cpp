#include "training/session_knn_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace shelfwise::training {
namespace {

// In the order of their first click (the scorer weighs a neighbour's items by their distance to
// the item it shares with the visit).
std::vector<std::uint32_t> distinct_items(const InteractionLog& log, const LogSession& session) {
  std::vector<std::uint32_t> items;
  items.reserve(session.event_count);
  for (std::size_t event = 0; event < session.event_count; ++event) {
    const std::uint32_t item = log.events[session.first_event + event].item;
    if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
  }
  return items;
}

}  // namespace

SessionKnnTables train_session_knn(const InteractionLog& log, std::size_t item_count, const SessionKnnOptions& options) {
  // Sessions by recency, oldest first; ties keep the log order.
  std::vector<std::size_t> order;
  for (std::size_t session = 0; session < log.sessions.size(); ++session) {
    if (log.sessions[session].event_count > 0) order.push_back(session);
  }
  if (log.has_timestamps) {
    std::vector<std::int64_t> latest(log.sessions.size(), kNoTimestamp);
    for (const std::size_t session : order) {
      const LogSession& info = log.sessions[session];
      for (std::size_t event = 0; event < info.event_count; ++event) {
        latest[session] = std::max(latest[session], log.events[info.first_event + event].timestamp);
      }
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t left, std::size_t right) { return latest[left] < latest[right]; });
  }

  std::vector<std::uint32_t> sessions_holding(item_count, 0);
  SessionKnnTables tables;
  tables.session_offsets.push_back(0);
  const std::size_t first_kept =
      options.max_sessions == 0 || order.size() <= options.max_sessions ? 0 : order.size() - options.max_sessions;
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const std::vector<std::uint32_t> items = distinct_items(log, log.sessions[order[rank]]);
    for (const std::uint32_t item : items) ++sessions_holding[item];
    if (rank < first_kept) continue;
    tables.session_items.insert(tables.session_items.end(), items.begin(), items.end());
    tables.session_offsets.push_back(static_cast<std::uint32_t>(tables.session_items.size()));
  }

  // Transpose, walking the sessions from the most recent down so each item's row comes out in
  // that order.
  const std::size_t kept = tables.session_offsets.size() - 1;
  tables.item_offsets.assign(item_count + 1, 0);
  for (const std::uint32_t item : tables.session_items) ++tables.item_offsets[item + 1];
  std::partial_sum(tables.item_offsets.begin(), tables.item_offsets.end(), tables.item_offsets.begin());
  std::vector<std::uint32_t> fill(tables.item_offsets.begin(), tables.item_offsets.end() - 1);
  tables.item_sessions.assign(tables.session_items.size(), 0);
  for (std::size_t session = kept; session-- > 0;) {
    for (std::uint32_t entry = tables.session_offsets[session]; entry < tables.session_offsets[session + 1]; ++entry) {
      tables.item_sessions[fill[tables.session_items[entry]]++] = static_cast<std::uint32_t>(session);
    }
  }

  tables.item_weight.assign(item_count, 0.0f);
  const double session_total = static_cast<double>(order.size());
  for (std::size_t item = 0; item < item_count; ++item) {
    if (sessions_holding[item] > 0) tables.item_weight[item] = static_cast<float>(std::log(session_total / sessions_holding[item]));
  }
  return tables;
}

}  // namespace shelfwise::training
