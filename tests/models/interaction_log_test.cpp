// parse_interaction_log: the CSV the trainer and evaluator read, its grouping of sessions, and
// its reports of malformed rows ("fixture.csv:LINE: why").
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "training/interaction_log.hpp"

namespace {

using shelfwise::ErrorCode;
using shelfwise::EventType;
using shelfwise::training::InteractionLog;
using shelfwise::training::kNoTimestamp;
using shelfwise::training::parse_interaction_log;
using shelfwise::training::ParseOptions;

const char* const kHeader = "session_id,user_id,item_id,timestamp,event\n";

InteractionLog parse_ok(const std::string& text) {
  auto result = parse_interaction_log(text, "fixture.csv");
  INFO(result.status().to_string());
  REQUIRE(result.ok());
  return std::move(result).value();
}

// Item ids of one session, in click order.
std::vector<std::string> session_items(const InteractionLog& log, std::size_t session) {
  std::vector<std::string> items;
  const auto& info = log.sessions[session];
  for (std::size_t offset = 0; offset < info.event_count; ++offset) {
    items.push_back(log.item_ids[log.events[info.first_event + offset].item]);
  }
  return items;
}

shelfwise::Status parse_error(const std::string& text, const ParseOptions& options = {}) {
  auto result = parse_interaction_log(text, "fixture.csv", options);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::parse_error);
  return result.status();
}

}  // namespace

TEST_CASE("A log parses into items, sessions and events in file order", "[log]") {
  const InteractionLog log = parse_ok(std::string(kHeader) +
                                      "s1,u1,A,100,view\n"
                                      "s1,u1,B,110,cart\n"
                                      "s2,,B,200,purchase\n"
                                      "s2,,C,210,view\n");
  CHECK(log.item_ids == std::vector<std::string>{"A", "B", "C"});
  CHECK(log.item_index.at("B") == 1);
  REQUIRE(log.sessions.size() == 2);
  CHECK(log.sessions[0].id == "s1");
  CHECK(log.sessions[0].user_id == "u1");
  CHECK(log.sessions[1].id == "s2");
  CHECK(log.sessions[1].user_id.empty());
  CHECK(log.sessions[0].first_event == 0);
  CHECK(log.sessions[0].event_count == 2);
  CHECK(log.sessions[1].first_event == 2);
  CHECK(log.sessions[1].event_count == 2);
  REQUIRE(log.events.size() == 4);
  CHECK(log.events[1].item == 1);
  CHECK(log.events[1].type == EventType::cart);
  CHECK(log.events[1].timestamp == 110);
  CHECK(log.events[2].type == EventType::purchase);
  CHECK(log.events[3].type == EventType::view);
  CHECK(log.has_timestamps);
}

TEST_CASE("The header may name the columns in any order, with extra columns", "[log]") {
  const InteractionLog log = parse_ok(
      "event,price,item_id,timestamp,user_id,session_id\n"
      "cart,9.99,A,100,u7,s1\n"
      "view,1.00,B,,,s1\n");
  REQUIRE(log.sessions.size() == 1);
  CHECK(log.sessions[0].id == "s1");
  CHECK(log.sessions[0].user_id == "u7");
  CHECK(session_items(log, 0) == std::vector<std::string>{"A", "B"});
  CHECK(log.events[0].type == EventType::cart);
  CHECK(log.events[0].timestamp == 100);
  CHECK(log.events[1].timestamp == kNoTimestamp);
}

TEST_CASE("Quoted fields may hold commas, quotes and newlines", "[log]") {
  const InteractionLog log = parse_ok(std::string(kHeader) +
                                      "\"s,1\",\"O'Brien, \"\"Pat\"\"\",\"SKU,1\",100,view\n"
                                      "\"s,1\",,\"two\nlines\",101,view\n");
  REQUIRE(log.sessions.size() == 1);
  CHECK(log.sessions[0].id == "s,1");
  CHECK(log.sessions[0].user_id == "O'Brien, \"Pat\"");
  CHECK(log.item_ids == std::vector<std::string>{"SKU,1", "two\nlines"});
}

TEST_CASE("CRLF files parse like LF files", "[log]") {
  const std::string lf = std::string(kHeader) + "s1,,A,100,view\ns1,,B,101,cart\n";
  std::string crlf;
  for (const char character : lf) {
    if (character == '\n') crlf += '\r';
    crlf += character;
  }
  const InteractionLog from_lf = parse_ok(lf);
  const InteractionLog from_crlf = parse_ok(crlf);
  CHECK(from_crlf.item_ids == from_lf.item_ids);
  REQUIRE(from_crlf.events.size() == 2);
  CHECK(from_crlf.events[1].type == EventType::cart);
  CHECK(from_crlf.events[1].timestamp == 101);
}

TEST_CASE("Empty user_id, timestamp and event mean anonymous, unknown time and view", "[log]") {
  const InteractionLog log = parse_ok(std::string(kHeader) + "s1,,A,,\ns1,,B,,\n");
  REQUIRE(log.events.size() == 2);
  CHECK(log.sessions[0].user_id.empty());
  CHECK(log.events[0].timestamp == kNoTimestamp);
  CHECK(log.events[0].type == EventType::view);
  CHECK_FALSE(log.has_timestamps);
}

TEST_CASE("has_timestamps is true only when every row has one", "[log]") {
  CHECK(parse_ok(std::string(kHeader) + "s1,,A,1,\ns1,,B,2,\n").has_timestamps);
  CHECK_FALSE(parse_ok(std::string(kHeader) + "s1,,A,1,\ns1,,B,,\n").has_timestamps);
  CHECK_FALSE(parse_ok(std::string(kHeader) + "s1,,A,,\ns1,,B,2,\n").has_timestamps);
  CHECK_FALSE(parse_ok(kHeader).has_timestamps);  // no rows at all
}

TEST_CASE("Fractional timestamps are truncated to seconds", "[log]") {
  const InteractionLog log = parse_ok(std::string(kHeader) + "s1,,A,1700000000.75,\ns1,,B,0,\n");
  CHECK(log.events[0].timestamp == 1700000000);
  CHECK(log.events[1].timestamp == 0);
}

TEST_CASE("Rows of a session need not be contiguous: they are grouped in file order", "[log]") {
  const InteractionLog log = parse_ok(std::string(kHeader) +
                                      "s1,,A,1,\n"
                                      "s2,,X,2,\n"
                                      "s1,,B,3,\n"
                                      "s3,,Y,4,\n"
                                      "s2,,Z,5,\n"
                                      "s1,,C,6,\n");
  REQUIRE(log.sessions.size() == 3);
  CHECK(log.sessions[0].id == "s1");
  CHECK(log.sessions[1].id == "s2");
  CHECK(log.sessions[2].id == "s3");
  CHECK(session_items(log, 0) == std::vector<std::string>{"A", "B", "C"});
  CHECK(session_items(log, 1) == std::vector<std::string>{"X", "Z"});
  CHECK(session_items(log, 2) == std::vector<std::string>{"Y"});
  CHECK(log.events[log.sessions[0].first_event + 2].timestamp == 6);
  // Items keep the order of their first appearance in the file.
  CHECK(log.item_ids == std::vector<std::string>{"A", "X", "B", "Y", "Z", "C"});
}

TEST_CASE("Every kind of malformed row is reported with its line number", "[log][errors]") {
  struct Case {
    const char* row;
    const char* reason;
  };
  const Case cases[] = {
      {"s1,,A,100\n", "expected 5 fields, found 4"},
      {"s1,,A,100,view,extra\n", "expected 5 fields, found 6"},
      {",,A,100,view\n", "session_id is empty"},
      {"s1,,,100,view\n", "item_id is empty"},
      {"s1,,A,yesterday,view\n", "timestamp 'yesterday' is not unix seconds"},
      {"s1,,A,12abc,view\n", "timestamp '12abc' is not unix seconds"},
      {"s1,,A,1.5x,view\n", "timestamp '1.5x' is not unix seconds"},
      {"s1,,A,100,click\n", "event 'click' is not view, cart or purchase"},
      {"s1,,A,100,View\n", "event 'View' is not view, cart or purchase"},
      {"s1,,\"A,100,view\n", "unterminated quoted field"},
  };
  for (const auto& entry : cases) {
    // Lines 2 and 3 are good; the bad row is line 4.
    const std::string text = std::string(kHeader) + "s0,,Q,1,view\ns0,,R,2,view\n" + entry.row;
    INFO("row: " << entry.row);
    const shelfwise::Status status = parse_error(text);
    CHECK_THAT(status.message(), Catch::StartsWith("1 malformed rows"));
    CHECK_THAT(status.message(), Catch::Contains(std::string("fixture.csv:4: ") + entry.reason));
  }
}

TEST_CASE("Line numbers count blank lines and newlines inside quoted fields", "[log][errors]") {
  const std::string text = std::string(kHeader) +
                           "s1,,\"multi\nline\",1,view\n"  // lines 2-3
                           "\n"                            // line 4
                           "s1,,B,2,click\n";              // line 5
  const shelfwise::Status status = parse_error(text);
  CHECK_THAT(status.message(), Catch::Contains("fixture.csv:5: event 'click'"));
}

TEST_CASE("A header without a required column is refused", "[log][errors]") {
  const shelfwise::Status status = parse_error("session_id,user_id,item_id,event\ns1,,A,view\n");
  CHECK_THAT(status.message(), Catch::Contains("fixture.csv:1:") && Catch::Contains("'timestamp'"));
  const shelfwise::Status empty = parse_error("");
  CHECK_THAT(empty.message(), Catch::Contains("fixture.csv") && Catch::Contains("empty file"));
}

TEST_CASE("All malformed rows are counted and the first ones listed", "[log][errors]") {
  std::string text = kHeader;
  for (int row = 0; row < 12; ++row) text += "s1,,A,bad,view\n";  // lines 2..13
  ParseOptions options;
  options.max_reported_errors = 10;
  const shelfwise::Status status = parse_error(text, options);
  CHECK_THAT(status.message(), Catch::StartsWith("12 malformed rows"));
  CHECK_THAT(status.message(), Catch::Contains("fixture.csv:2:") && Catch::Contains("fixture.csv:11:"));
  CHECK_THAT(status.message(), !Catch::Contains("fixture.csv:12:"));
  CHECK_THAT(status.message(), Catch::Contains("and 2 more malformed rows"));
}

TEST_CASE("skip_bad_rows keeps the good rows and reports the bad ones", "[log][errors]") {
  const std::string text = std::string(kHeader) +
                           "s1,,A,1,view\n"     // 2
                           "s1,,B,x,view\n"     // 3: bad timestamp
                           "s1,,C,3,view\n"     // 4
                           "s2,,,4,view\n"      // 5: no item
                           "s2,,D,5,cart\n";    // 6
  ParseOptions options;
  options.skip_bad_rows = true;
  std::vector<std::string> warnings;
  auto result = parse_interaction_log(text, "fixture.csv", options, &warnings);
  REQUIRE(result.ok());
  const InteractionLog& log = result.value();
  CHECK(log.item_ids == std::vector<std::string>{"A", "C", "D"});
  REQUIRE(log.sessions.size() == 2);
  CHECK(session_items(log, 0) == std::vector<std::string>{"A", "C"});
  CHECK(session_items(log, 1) == std::vector<std::string>{"D"});
  CHECK(log.has_timestamps);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("skipped 2 malformed rows"));
  CHECK_THAT(warnings[0], Catch::Contains("fixture.csv:3: timestamp 'x'"));
  CHECK_THAT(warnings[0], Catch::Contains("fixture.csv:5: item_id is empty"));

  SECTION("without skip_bad_rows the same text fails") {
    const shelfwise::Status status = parse_error(text);
    CHECK_THAT(status.message(), Catch::StartsWith("2 malformed rows"));
  }
  SECTION("a clean file gives no warning") {
    std::vector<std::string> none;
    REQUIRE(parse_interaction_log(std::string(kHeader) + "s1,,A,1,view\n", "fixture.csv", options, &none).ok());
    CHECK(none.empty());
  }
}
