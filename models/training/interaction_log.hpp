// Interaction logs as the trainer and evaluator read them.
//
// CSV with a header naming (in any order) session_id, user_id, item_id, timestamp, event.
// Rows of a session are in click order; a session's rows need not be contiguous (they are grouped
// in file order). user_id may be empty; timestamp is unix seconds or empty where only the order is
// known; event is view, cart or purchase, empty meaning view.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shelfwise/session_state.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise::training {

inline constexpr std::int64_t kNoTimestamp = INT64_MIN;

struct LogSession {
  std::string id;
  std::string user_id;
  std::size_t first_event = 0;  // into InteractionLog::events
  std::size_t event_count = 0;
};

struct LogEvent {
  std::uint32_t item = 0;  // into InteractionLog::item_ids
  EventType type = EventType::view;
  std::int64_t timestamp = kNoTimestamp;
};

struct InteractionLog {
  std::vector<std::string> item_ids;  // in order of first appearance
  std::unordered_map<std::string, std::uint32_t> item_index;
  std::vector<LogSession> sessions;  // in order of first appearance
  std::vector<LogEvent> events;      // grouped by session, click order inside a session
  bool has_timestamps = false;       // true when every row has one
};

struct ParseOptions {
  // Report malformed rows (to `warnings`) and go on, instead of failing on them.
  bool skip_bad_rows = false;
  std::size_t max_reported_errors = 10;
};

// PARSE_ERROR naming `source_name:line` for each malformed row (the first max_reported_errors
// of them, and how many there were in all).
Result<InteractionLog> parse_interaction_log(std::string_view text, const std::string& source_name,
                                             const ParseOptions& options = {}, std::vector<std::string>* warnings = nullptr);

}  // namespace shelfwise::training
