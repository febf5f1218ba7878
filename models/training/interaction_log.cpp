#include "training/interaction_log.hpp"

#include <charconv>
#include <cmath>

#include "training/csv_reader.hpp"

namespace shelfwise::training {
namespace {

constexpr const char* kColumns[] = {"session_id", "user_id", "item_id", "timestamp", "event"};
constexpr int kColumnCount = 5;

bool parse_timestamp(const std::string& text, std::int64_t* out) {
  if (text.empty()) {
    *out = kNoTimestamp;
    return true;
  }
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [rest, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc()) return false;
  // Fractional seconds are accepted and truncated: some exports write them.
  if (rest != end) {
    if (*rest != '.') return false;
    for (const char* digit = rest + 1; digit != end; ++digit) {
      if (*digit < '0' || *digit > '9') return false;
    }
  }
  *out = value;
  return true;
}

bool parse_event_type(const std::string& text, EventType* out) {
  if (text.empty() || text == "view") {
    *out = EventType::view;
  } else if (text == "cart") {
    *out = EventType::cart;
  } else if (text == "purchase") {
    *out = EventType::purchase;
  } else {
    return false;
  }
  return true;
}

struct RawRow {
  std::uint32_t session;
  LogEvent event;
};

}  // namespace

Result<InteractionLog> parse_interaction_log(std::string_view text, const std::string& source_name,
                                             const ParseOptions& options, std::vector<std::string>* warnings) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  if (!reader.next(&fields)) return Status(ErrorCode::parse_error, source_name + ": empty file, expected a header");
  std::vector<int> column_of;
  SHELFWISE_RETURN_IF_ERROR(map_header_columns(fields, kColumns, kColumnCount,
                                               source_name + ":" + std::to_string(reader.line()), &column_of));
  const std::size_t header_width = fields.size();

  InteractionLog log;
  std::unordered_map<std::string, std::uint32_t> session_index;
  std::vector<RawRow> rows;
  std::vector<std::string> errors;
  std::size_t error_count = 0;
  std::size_t rows_with_timestamp = 0;
  auto reject = [&](const std::string& why) {
    ++error_count;
    if (errors.size() < options.max_reported_errors) {
      errors.push_back(source_name + ":" + std::to_string(reader.line()) + ": " + why);
    }
  };

  while (reader.next(&fields)) {
    if (reader.malformed()) {
      reject("unterminated quoted field");
      break;
    }
    if (fields.size() != header_width) {
      reject("expected " + std::to_string(header_width) + " fields, found " + std::to_string(fields.size()));
      continue;
    }
    const std::string& session_id = fields[column_of[0]];
    const std::string& item_id = fields[column_of[2]];
    if (session_id.empty()) {
      reject("session_id is empty");
      continue;
    }
    if (item_id.empty()) {
      reject("item_id is empty");
      continue;
    }
    LogEvent event;
    if (!parse_timestamp(fields[column_of[3]], &event.timestamp)) {
      reject("timestamp '" + fields[column_of[3]] + "' is not unix seconds");
      continue;
    }
    if (!parse_event_type(fields[column_of[4]], &event.type)) {
      reject("event '" + fields[column_of[4]] + "' is not view, cart or purchase");
      continue;
    }
    auto [item, item_added] = log.item_index.emplace(item_id, static_cast<std::uint32_t>(log.item_ids.size()));
    if (item_added) log.item_ids.push_back(item_id);
    event.item = item->second;
    auto [session, session_added] = session_index.emplace(session_id, static_cast<std::uint32_t>(log.sessions.size()));
    if (session_added) log.sessions.push_back({session_id, fields[column_of[1]], 0, 0});
    if (event.timestamp != kNoTimestamp) ++rows_with_timestamp;
    rows.push_back({session->second, event});
    ++log.sessions[session->second].event_count;
  }

  if (error_count > 0) {
    std::string report;
    for (const auto& error : errors) report += (report.empty() ? "" : "\n") + error;
    if (error_count > errors.size()) report += "\n... and " + std::to_string(error_count - errors.size()) + " more malformed rows";
    if (!options.skip_bad_rows) {
      return Status(ErrorCode::parse_error, std::to_string(error_count) + " malformed rows\n" + report);
    }
    if (warnings != nullptr) warnings->push_back("skipped " + std::to_string(error_count) + " malformed rows\n" + report);
  }

  // Group by session, keeping file order inside each session (a counting sort).
  std::size_t next_start = 0;
  for (auto& session : log.sessions) {
    session.first_event = next_start;
    next_start += session.event_count;
  }
  std::vector<std::size_t> cursor(log.sessions.size());
  for (std::size_t index = 0; index < log.sessions.size(); ++index) cursor[index] = log.sessions[index].first_event;
  log.events.resize(rows.size());
  for (const auto& row : rows) log.events[cursor[row.session]++] = row.event;
  log.has_timestamps = !rows.empty() && rows_with_timestamp == rows.size();
  return log;
}

}  // namespace shelfwise::training
