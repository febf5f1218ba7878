// parse_catalog: item_id,category,price,title,available in any column order; the first bad row
// fails the whole file, naming "file:line".
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "training/catalog_table.hpp"

namespace {

using shelfwise::ErrorCode;
using shelfwise::training::CatalogRow;
using shelfwise::training::parse_catalog;

const char* const kHeader = "item_id,category,price,title,available\n";

std::vector<CatalogRow> parse_ok(const std::string& text) {
  auto result = parse_catalog(text, "catalog.csv");
  INFO(result.status().to_string());
  REQUIRE(result.ok());
  return std::move(result).value();
}

std::string parse_error(const std::string& text) {
  auto result = parse_catalog(text, "catalog.csv");
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::parse_error);
  return result.status().message();
}

}  // namespace

TEST_CASE("Catalogue rows parse with prices, titles and availability", "[catalog]") {
  const auto rows = parse_ok(std::string(kHeader) +
                             "SKU-1,shoes,24.99,Runner 3000,1\n"
                             "SKU-2,socks,4.5,Wool sock,0\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].item_id == "SKU-1");
  CHECK(rows[0].category == "shoes");
  CHECK(rows[0].price == 24.99f);
  CHECK(rows[0].title == "Runner 3000");
  CHECK(rows[0].available);
  CHECK(rows[1].price == 4.5f);
  CHECK_FALSE(rows[1].available);
}

TEST_CASE("Catalogue columns may come in any order", "[catalog]") {
  const auto rows = parse_ok("title,available,item_id,price,category,colour\nBall,no,T1,2,toys,red\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].item_id == "T1");
  CHECK(rows[0].category == "toys");
  CHECK(rows[0].price == 2.0f);
  CHECK(rows[0].title == "Ball");
  CHECK_FALSE(rows[0].available);
}

TEST_CASE("Empty price means unknown and empty available means available", "[catalog]") {
  const auto rows = parse_ok(std::string(kHeader) + "A,,,,\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].price < 0.0f);
  CHECK(rows[0].available);
  CHECK(rows[0].category.empty());
  CHECK(rows[0].title.empty());
}

TEST_CASE("Availability accepts 1/0, true/false and yes/no", "[catalog]") {
  const auto rows = parse_ok(std::string(kHeader) +
                             "a,,,,1\nb,,,,true\nc,,,,yes\nd,,,,0\ne,,,,false\nf,,,,no\n");
  REQUIRE(rows.size() == 6);
  for (std::size_t index = 0; index < 3; ++index) CHECK(rows[index].available);
  for (std::size_t index = 3; index < 6; ++index) CHECK_FALSE(rows[index].available);
}

TEST_CASE("Quoted titles may hold commas, quotes and newlines, in CRLF files too", "[catalog]") {
  const auto rows = parse_ok(
      "item_id,category,price,title,available\r\n"
      "A,toys,1.5,\"Ball, \"\"bouncy\"\"\",1\r\n"
      "B,books,2,\"Vol. 1\nVol. 2\",0\r\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].title == "Ball, \"bouncy\"");
  CHECK(rows[0].available);
  CHECK(rows[1].title == "Vol. 1\nVol. 2");
  CHECK_FALSE(rows[1].available);  // no stray '\r' left in the last field
}

TEST_CASE("A repeated item_id fails naming its line", "[catalog][errors]") {
  const std::string message = parse_error(std::string(kHeader) + "A,,1,,\nB,,1,,\nA,,2,,\n");
  CHECK_THAT(message, Catch::Contains("catalog.csv:4:") && Catch::Contains("item_id 'A' repeats"));
}

TEST_CASE("A price that is not a non-negative number fails naming its line", "[catalog][errors]") {
  for (const std::string price : {"abc", "-1", "12,5", "1e10", "nan", "inf", "3.5eur"}) {
    const std::string field = price.find(',') != std::string::npos ? "\"" + price + "\"" : price;
    const std::string message = parse_error(std::string(kHeader) + "A,,1,,\nB,," + field + ",,\n");
    INFO("price " << price);
    CHECK_THAT(message, Catch::Contains("catalog.csv:3: price '" + price + "'"));
  }
}

TEST_CASE("An availability that is not 1 or 0 fails naming its line", "[catalog][errors]") {
  for (const std::string available : {"maybe", "2", "Y", "TRUE"}) {
    const std::string message = parse_error(std::string(kHeader) + "A,,,," + available + "\n");
    INFO("available " << available);
    CHECK_THAT(message, Catch::Contains("catalog.csv:2: available '" + available + "'"));
  }
}

TEST_CASE("Other malformed catalogue rows fail naming their line", "[catalog][errors]") {
  CHECK_THAT(parse_error(std::string(kHeader) + "A,,,,\n,,,,\n"), Catch::Contains("catalog.csv:3: item_id is empty"));
  CHECK_THAT(parse_error(std::string(kHeader) + "A,,,\n"), Catch::Contains("catalog.csv:2: expected 5 fields, found 4"));
  CHECK_THAT(parse_error(std::string(kHeader) + "A,,,,\n\n\"B,,,,\n"),
             Catch::Contains("catalog.csv:4: unterminated quoted field"));
  CHECK_THAT(parse_error("item_id,category,title,available\nA,,,\n"),
             Catch::Contains("catalog.csv:1:") && Catch::Contains("'price'"));
  CHECK_THAT(parse_error(""), Catch::Contains("empty file"));
}

TEST_CASE("A header error names the header's own line after leading blank lines", "[catalog][errors]") {
  // Blank lines are skipped, so the header here is line 3 (the interaction log reports it so).
  const std::string message = parse_error("\n\nitem_id,category,title,available\nA,,,\n");
  CHECK_THAT(message, Catch::Contains("catalog.csv:3:") && Catch::Contains("'price'"));
}
