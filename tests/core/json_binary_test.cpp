// The binary JSON form the wasm and its JS host exchange (json_binary.hpp): what nlohmann parses
// survives encode/decode with its integer/float kinds and sorted members, and malformed or
// hostile bytes are refused rather than read past.
#include <catch2/catch.hpp>

#include <string>

#include "shelfwise/json_binary.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/json_parser.hpp"

namespace {

std::string encoded(const std::string& text) {
  const auto value = shelfwise::parse_json(text);
  REQUIRE(value.has_value());
  std::string bytes;
  shelfwise::encode_json_binary(*value, &bytes);
  return bytes;
}

}  // namespace

// Integers are exact up to 2^53 (the f64 both halves carry), which bundles never exceed.
TEST_CASE("documents survive the binary form unchanged", "[json_binary]") {
  const std::string text =
      R"({"z": [1, -2, 2.5, 1e300, true, false, null, "caf\u00e9"], "a": {"nested": {"k": 9007199254740991}}, "": ""})";
  const auto decoded = shelfwise::decode_json_binary(encoded(text));
  REQUIRE(decoded.has_value());
  CHECK(shelfwise::to_nlohmann(*decoded) == nlohmann::json::parse(text));
  REQUIRE(decoded->find("z") != nullptr);
  CHECK(decoded->find("z")->elements()[0].is_number_unsigned());
  CHECK(decoded->find("z")->elements()[1].type() == shelfwise::JsonValue::Type::negative_integer);
  CHECK(decoded->find("z")->elements()[2].type() == shelfwise::JsonValue::Type::floating);
  CHECK(decoded->members().front().key.empty());  // members stay sorted by key
}

TEST_CASE("malformed binary JSON is refused", "[json_binary]") {
  const std::string good = encoded(R"({"a": [1, "x"]})");
  for (std::size_t size = 0; size < good.size(); ++size) {
    INFO(size);
    CHECK_FALSE(shelfwise::decode_json_binary(good.substr(0, size)).has_value());
  }
  CHECK_FALSE(shelfwise::decode_json_binary(good + '\0').has_value());  // trailing bytes
  CHECK_FALSE(shelfwise::decode_json_binary(std::string(1, '\x09')).has_value());  // unknown tag
  std::string huge_count("\x07\xff\xff\xff\xff", 5);
  CHECK_FALSE(shelfwise::decode_json_binary(huge_count).has_value());
  std::string deep;
  for (std::size_t level = 0; level <= shelfwise::kMaxJsonBinaryDepth + 1; ++level) deep += std::string("\x07\x01\x00\x00\x00", 5);
  deep += '\0';
  CHECK_FALSE(shelfwise::decode_json_binary(deep).has_value());
  std::string fraction_as_integer("\x04", 1);
  const double half = 0.5;
  fraction_as_integer.append(reinterpret_cast<const char*>(&half), sizeof half);
  CHECK_FALSE(shelfwise::decode_json_binary(fraction_as_integer).has_value());
}
