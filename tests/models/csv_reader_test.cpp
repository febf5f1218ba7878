// CsvReader: RFC 4180 records (quoted fields, doubled quotes, embedded newlines, CRLF or LF),
// each with the 1-based line it starts on.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "training/csv_reader.hpp"

namespace {

using shelfwise::training::CsvReader;
using Fields = std::vector<std::string>;

struct Record {
  Fields fields;
  std::size_t line;
  bool malformed;
};

std::vector<Record> read_all(const std::string& text) {
  CsvReader reader(text);
  std::vector<Record> records;
  Fields fields;
  while (reader.next(&fields)) records.push_back({fields, reader.line(), reader.malformed()});
  return records;
}

}  // namespace

TEST_CASE("Plain LF records split on commas with their line numbers", "[csv]") {
  const auto records = read_all("a,b,c\n1,2,3\nx,y,z\n");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == Fields{"a", "b", "c"});
  CHECK(records[1].fields == Fields{"1", "2", "3"});
  CHECK(records[2].fields == Fields{"x", "y", "z"});
  CHECK(records[0].line == 1);
  CHECK(records[1].line == 2);
  CHECK(records[2].line == 3);
  for (const auto& record : records) CHECK_FALSE(record.malformed);
}

TEST_CASE("CRLF line endings leave no carriage returns in the fields", "[csv]") {
  const auto records = read_all("a,b\r\n1,2\r\n\"q,r\",3\r\n");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == Fields{"a", "b"});
  CHECK(records[1].fields == Fields{"1", "2"});
  CHECK(records[2].fields == Fields{"q,r", "3"});
  CHECK(records[2].line == 3);
}

TEST_CASE("A last record without a newline is still read", "[csv]") {
  const auto records = read_all("a,b\n1,2");
  REQUIRE(records.size() == 2);
  CHECK(records[1].fields == Fields{"1", "2"});
}

TEST_CASE("Empty fields are kept, including a trailing one", "[csv]") {
  const auto records = read_all(",a,,b,\n");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == Fields{"", "a", "", "b", ""});
}

TEST_CASE("Quoted fields may hold commas, doubled quotes and newlines", "[csv]") {
  const auto records = read_all(
      "id,title\n"
      "1,\"Shoe, red\"\n"
      "2,\"The \"\"best\"\" sock\"\n"
      "3,\"two\nlines\"\n"
      "4,\"\"\n"
      "5,after\n");
  REQUIRE(records.size() == 6);
  CHECK(records[1].fields == Fields{"1", "Shoe, red"});
  CHECK(records[2].fields == Fields{"2", "The \"best\" sock"});
  CHECK(records[3].fields == Fields{"3", "two\nlines"});
  CHECK(records[4].fields == Fields{"4", ""});
  CHECK(records[5].fields == Fields{"5", "after"});
  // The two-line record starts on line 4; the records after it count its newline.
  CHECK(records[3].line == 4);
  CHECK(records[4].line == 6);
  CHECK(records[5].line == 7);
}

TEST_CASE("Blank lines are skipped but still counted", "[csv]") {
  const auto records = read_all("\n\na,b\n\r\n\n1,2\n\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"a", "b"});
  CHECK(records[0].line == 3);
  CHECK(records[1].fields == Fields{"1", "2"});
  CHECK(records[1].line == 6);
}

TEST_CASE("An unterminated quote marks the record malformed and consumes the rest", "[csv]") {
  CsvReader reader("a,b\n1,\"open\n2,3\n4,5\n");
  Fields fields;
  REQUIRE(reader.next(&fields));
  CHECK_FALSE(reader.malformed());
  REQUIRE(reader.next(&fields));
  CHECK(reader.malformed());
  CHECK(reader.line() == 2);
  CHECK_FALSE(reader.next(&fields));
}

TEST_CASE("A record after a malformed one is not marked malformed", "[csv]") {
  // The flag describes the latest record only.
  CsvReader reader("a\n\"x\"\n");
  Fields fields;
  REQUIRE(reader.next(&fields));
  REQUIRE(reader.next(&fields));
  CHECK_FALSE(reader.malformed());
  CHECK(fields == Fields{"x"});
}

TEST_CASE("Empty text has no records", "[csv]") {
  CsvReader reader("");
  Fields fields{"stale"};
  CHECK_FALSE(reader.next(&fields));
  CHECK(read_all("\n\r\n\n").empty());
}
