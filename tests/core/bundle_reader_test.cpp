// read_bundle: the round trip through BundleWriter, and every validation failure with its stable
// error code. Broken files are assembled by hand (header layout in bundle_format.hpp) or patched
// from the writer's output, so each check fails for exactly one reason.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/bundle_format.hpp"
#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/crc32.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/model.hpp"
#include "shelfwise/recommender.hpp"
#include "test_support.hpp"

namespace {

using shelfwise::Bundle;
using shelfwise::ByteBuffer;
using shelfwise::DType;
using shelfwise::ErrorCode;
using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

shelfwise::Result<std::shared_ptr<const Bundle>> read(const Bytes& bytes) {
  return shelfwise::read_bundle(ByteBuffer::copy_of(bytes.data(), bytes.size()));
}

void store_u32(Bytes& out, std::size_t at, std::uint32_t value) {
  for (int byte = 0; byte < 4; ++byte) out[at + byte] = static_cast<std::uint8_t>(value >> (8 * byte));
}

void store_u64(Bytes& out, std::size_t at, std::uint64_t value) {
  store_u32(out, at, static_cast<std::uint32_t>(value));
  store_u32(out, at + 4, static_cast<std::uint32_t>(value >> 32));
}

std::uint64_t load_u64(const Bytes& in, std::size_t at) {
  std::uint64_t value = 0;
  for (int byte = 7; byte >= 0; --byte) value = (value << 8) | in[at + byte];
  return value;
}

// Hand-assembled files put their tensor data at this fixed offset, so the manifest can name
// absolute offsets before it is serialised (every manifest below is far shorter than 4 KB).
constexpr std::uint64_t kDataStart = 4096;

// header + manifest text, zero padding up to kDataStart, then `data`.
Bytes assemble_text(const std::string& manifest_text, const Bytes& data = {}, std::uint32_t format_version = 1,
                    std::uint32_t min_reader_version = 1) {
  const std::size_t manifest_end = shelfwise::kBundleHeaderSize + manifest_text.size();
  if (!data.empty()) REQUIRE(manifest_end <= kDataStart);
  Bytes file(std::max<std::size_t>(kDataStart, manifest_end) + data.size(), 0);
  std::memcpy(file.data(), shelfwise::kBundleMagic, sizeof(shelfwise::kBundleMagic));
  store_u32(file, 8, format_version);
  store_u32(file, 12, min_reader_version);
  store_u64(file, 16, manifest_text.size());
  store_u32(file, 24, shelfwise::crc32(manifest_text.data(), manifest_text.size()));
  std::memcpy(file.data() + shelfwise::kBundleHeaderSize, manifest_text.data(), manifest_text.size());
  if (!data.empty()) std::memcpy(file.data() + kDataStart, data.data(), data.size());
  return file;
}

Bytes assemble(const json& manifest, const Bytes& data = {}, std::uint32_t format_version = 1,
               std::uint32_t min_reader_version = 1) {
  return assemble_text(manifest.dump(), data, format_version, min_reader_version);
}

json base_manifest() {
  return {{"format", "shelfwise-bundle"},
          {"format_version", 1},
          {"item_count", 3},
          {"model", {{"kind", "pop"}, {"version", "v1"}}},
          {"tensors", json::array()}};
}

// A manifest entry describing `bytes` at absolute `offset`, with the right size and CRC.
json tensor_entry(const std::string& name, const std::string& dtype, std::vector<std::uint64_t> shape,
                  std::uint64_t offset, const Bytes& bytes) {
  return {{"name", name},
          {"dtype", dtype},
          {"shape", shape},
          {"offset", offset},
          {"size", bytes.size()},
          {"crc32", shelfwise::crc32(bytes.data(), bytes.size())}};
}

Bytes iota_bytes(std::size_t count, std::uint8_t first = 1) {
  Bytes bytes(count);
  for (std::size_t index = 0; index < count; ++index) bytes[index] = static_cast<std::uint8_t>(first + index);
  return bytes;
}

// One valid hand-assembled tensor "t" (u8 [16]) at kDataStart.
json manifest_with_one_tensor(const Bytes& data) {
  json manifest = base_manifest();
  manifest["tensors"].push_back(tensor_entry("t", "u8", {16}, kDataStart, data));
  return manifest;
}

// The writer's bundle with a mixture of dtypes; the values are checked after reading.
struct WrittenFixture {
  std::vector<float> floats{1.5f, -2.0f, 0.0f, 3.25f, 1e-3f, 7.0f};
  Bytes small{1, 2, 3, 4, 5};
  std::vector<std::uint32_t> words{0, 7, 0xFFFFFFFFU, 42};
  std::vector<std::int32_t> signed_words{-1, 2, -3};
  std::vector<std::int8_t> signed_bytes{-128, 0, 127};
  std::vector<std::uint16_t> halves{0x3C00, 0xC000};  // 1.0, -2.0
  Bytes empty;

  Bytes serialize() const {
    shelfwise::BundleWriter writer(4, {{"model", {{"kind", "pop"}, {"version", "fixture-1"}}},
                                       {"hyperparameters", {{"alpha", 0.5}}},
                                       {"training", {{"note", "round trip"}}}});
    writer.add_tensor("matrix", DType::f32, {2, 3}, floats.data(), floats.size() * sizeof(float));
    writer.add_vector("small", DType::u8, small);  // 5 bytes: the next tensor needs padding
    writer.add_vector("words", DType::u32, words);
    writer.add_vector("signed", DType::i32, signed_words);
    writer.add_vector("bytes", DType::i8, signed_bytes);
    writer.add_vector("halves", DType::f16, halves);
    writer.add_vector("empty", DType::u8, empty);
    return writer.serialize();
  }
};

// A small but complete item-kNN bundle from the real trainer, for corruption loops.
const Bytes& trained_bundle() {
  static const Bytes bytes = shelfwise::testing::train_bundle(
      "session_id,user_id,item_id,timestamp,event\n"
      "1,,A,100,view\n1,,B,110,view\n1,,C,120,cart\n"
      "2,,A,200,view\n2,,B,210,view\n"
      "3,,C,300,view\n3,,D,310,view\n3,,A,320,purchase\n");
  return bytes;
}

}  // namespace

TEST_CASE("A bundle written by BundleWriter reads back with its manifest and tensors", "[bundle]") {
  const WrittenFixture fixture;
  const Bytes bytes = fixture.serialize();
  auto result = read(bytes);
  REQUIRE(result.ok());
  const Bundle& bundle = *result.value();

  CHECK(bundle.item_count() == 4);
  CHECK(bundle.format_version() == shelfwise::kBundleBaseFormatVersion);
  CHECK(bundle.bytes().size() == bytes.size());
  const json manifest = shelfwise::manifest_json(bundle);
  CHECK(manifest["format"] == "shelfwise-bundle");
  CHECK(manifest["format_version"] == 1);
  CHECK(manifest["item_count"] == 4);
  CHECK(manifest["model"]["kind"] == "pop");
  CHECK(manifest["model"]["version"] == "fixture-1");
  CHECK(manifest["hyperparameters"]["alpha"] == 0.5);
  CHECK(manifest["training"]["note"] == "round trip");

  REQUIRE(bundle.tensors().size() == 7);
  const std::vector<std::string> names{"matrix", "small", "words", "signed", "bytes", "halves", "empty"};
  for (std::size_t index = 0; index < names.size(); ++index) CHECK(bundle.tensors()[index].name == names[index]);

  const shelfwise::TensorInfo* matrix = bundle.find("matrix");
  REQUIRE(matrix != nullptr);
  CHECK(matrix->dtype == DType::f32);
  CHECK(matrix->shape == std::vector<std::uint64_t>{2, 3});
  CHECK(matrix->size == 24);
  CHECK(matrix->element_count() == 6);
  CHECK(matrix->crc32 == shelfwise::crc32(fixture.floats.data(), 24));
  CHECK(bundle.find("absent") == nullptr);

  auto floats = bundle.view<float>("matrix", DType::f32);
  REQUIRE(floats.ok());
  CHECK(std::vector<float>(floats.value().begin(), floats.value().end()) == fixture.floats);
  auto small = bundle.view<std::uint8_t>("small", DType::u8);
  REQUIRE(small.ok());
  CHECK(Bytes(small.value().begin(), small.value().end()) == fixture.small);
  auto words = bundle.view<std::uint32_t>("words", DType::u32);
  REQUIRE(words.ok());
  CHECK(std::vector<std::uint32_t>(words.value().begin(), words.value().end()) == fixture.words);
  auto signed_words = bundle.view<std::int32_t>("signed", DType::i32);
  REQUIRE(signed_words.ok());
  CHECK(std::vector<std::int32_t>(signed_words.value().begin(), signed_words.value().end()) == fixture.signed_words);
  auto signed_bytes = bundle.view<std::int8_t>("bytes", DType::i8);
  REQUIRE(signed_bytes.ok());
  CHECK(std::vector<std::int8_t>(signed_bytes.value().begin(), signed_bytes.value().end()) == fixture.signed_bytes);
  auto halves = bundle.view<std::uint16_t>("halves", DType::f16);
  REQUIRE(halves.ok());
  CHECK(std::vector<std::uint16_t>(halves.value().begin(), halves.value().end()) == fixture.halves);
  auto empty = bundle.view<std::uint8_t>("empty", DType::u8);
  REQUIRE(empty.ok());
  CHECK(empty.value().empty());
}

TEST_CASE("Every tensor of a read bundle is 64-byte aligned in the file and in memory", "[bundle]") {
  const Bytes bytes = WrittenFixture().serialize();
  auto result = read(bytes);
  REQUIRE(result.ok());
  const Bundle& bundle = *result.value();
  const std::uint64_t manifest_end = shelfwise::kBundleHeaderSize + load_u64(bytes, 16);
  for (const auto& info : bundle.tensors()) {
    INFO("tensor " << info.name);
    CHECK(info.offset % shelfwise::kTensorAlignment == 0);
    CHECK(info.offset >= manifest_end);
    const auto address = reinterpret_cast<std::uintptr_t>(bundle.bytes().data() + info.offset);
    CHECK(address % 64 == 0);
  }
  auto floats = bundle.view<float>("matrix", DType::f32);
  REQUIRE(floats.ok());
  CHECK(reinterpret_cast<std::uintptr_t>(floats.value().data()) % 64 == 0);
  auto words = bundle.view<std::uint32_t>("words", DType::u32);  // follows the 5-byte tensor
  REQUIRE(words.ok());
  CHECK(reinterpret_cast<std::uintptr_t>(words.value().data()) % 64 == 0);
}

TEST_CASE("A typed view of an absent tensor or of another dtype fails with BAD_TENSOR", "[bundle]") {
  auto result = read(WrittenFixture().serialize());
  REQUIRE(result.ok());
  const Bundle& bundle = *result.value();
  auto missing = bundle.view<float>("nope", DType::f32);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == ErrorCode::bad_tensor);
  CHECK_THAT(missing.status().message(), Catch::Contains("'nope'"));
  auto wrong = bundle.view<std::uint32_t>("matrix", DType::u32);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().code() == ErrorCode::bad_tensor);
  CHECK_THAT(wrong.status().message(), Catch::Contains("f32"));
  // Same element size, other dtype: still refused.
  auto reinterpreted = bundle.view<std::int32_t>("words", DType::i32);
  REQUIRE_FALSE(reinterpreted.ok());
  CHECK(reinterpreted.status().code() == ErrorCode::bad_tensor);
}

TEST_CASE("A hand-assembled bundle in the documented layout is accepted", "[bundle]") {
  // Guards the helpers below: every failure case differs from this one in one field only.
  const Bytes data = iota_bytes(16);
  auto result = read(assemble(manifest_with_one_tensor(data), data));
  REQUIRE(result.ok());
  CHECK(result.value()->item_count() == 3);
  REQUIRE(result.value()->tensors().size() == 1);
  CHECK(result.value()->tensors()[0].offset == kDataStart);
}

TEST_CASE("Empty input and a wrong magic fail with BAD_MAGIC", "[bundle]") {
  SECTION("empty buffer") {
    auto result = shelfwise::read_bundle(ByteBuffer());
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::bad_magic);
    CHECK_THAT(result.status().message(), Catch::Contains("bad magic"));
  }
  SECTION("text instead of a bundle") {
    const std::string text = "{\"format\":\"shelfwise-bundle\"} and a lot more text to pass the header size";
    auto result = read(Bytes(text.begin(), text.end()));
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::bad_magic);
    CHECK_THAT(result.status().message(), Catch::Contains("bad magic"));
  }
  SECTION("each magic byte altered") {
    const Bytes valid = WrittenFixture().serialize();
    for (std::size_t index = 0; index < sizeof(shelfwise::kBundleMagic); ++index) {
      Bytes bytes = valid;
      bytes[index] ^= 0x20;
      auto result = read(bytes);
      INFO("magic byte " << index);
      REQUIRE_FALSE(result.ok());
      CHECK(result.status().code() == ErrorCode::bad_magic);
    }
  }
  SECTION("a text-mode transfer that turned CRLF into LF") {
    Bytes bytes = WrittenFixture().serialize();
    bytes.erase(bytes.begin() + 4);  // "\r\n" -> "\n"
    auto result = read(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::bad_magic);
  }
  SECTION("fewer bytes than the magic") {
    const Bytes valid = WrittenFixture().serialize();
    for (std::size_t size = 1; size < sizeof(shelfwise::kBundleMagic); ++size) {
      auto result = read(Bytes(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(size)));
      CHECK_FALSE(result.ok());
    }
  }
}

TEST_CASE("A bundle cut anywhere after the magic fails with TRUNCATED naming the byte", "[bundle]") {
  const Bytes valid = WrittenFixture().serialize();
  const std::uint64_t manifest_end = shelfwise::kBundleHeaderSize + load_u64(valid, 16);
  std::size_t header_cuts = 0;
  std::size_t manifest_cuts = 0;
  std::size_t tensor_cuts = 0;
  for (std::size_t size = sizeof(shelfwise::kBundleMagic); size < valid.size(); ++size) {
    auto result = read(Bytes(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(size)));
    INFO("cut at " << size << " of " << valid.size());
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.status().code() == ErrorCode::truncated);
    REQUIRE_THAT(result.status().message(), Catch::Contains("truncated at byte " + std::to_string(size)));
    if (size < shelfwise::kBundleHeaderSize) {
      ++header_cuts;
    } else if (size < manifest_end) {
      ++manifest_cuts;
    } else {
      ++tensor_cuts;
    }
  }
  // Every region was cut at least once.
  CHECK(header_cuts == shelfwise::kBundleHeaderSize - sizeof(shelfwise::kBundleMagic));
  CHECK(manifest_cuts > 0);
  CHECK(tensor_cuts > 0);
}

TEST_CASE("A header whose manifest_size points past the file fails with TRUNCATED", "[bundle]") {
  Bytes bytes = WrittenFixture().serialize();
  store_u64(bytes, 16, bytes.size());  // larger than what follows the header
  auto result = read(bytes);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::truncated);
  CHECK_THAT(result.status().message(), Catch::Contains("truncated at byte " + std::to_string(bytes.size())));
}

TEST_CASE("A manifest_size above the limit fails with LIMIT_EXCEEDED", "[bundle]") {
  Bytes bytes = WrittenFixture().serialize();
  store_u64(bytes, 16, shelfwise::kMaxManifestBytes + 1);
  auto result = read(bytes);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::limit_exceeded);
}

TEST_CASE("A reader refuses bundles that need a newer reader with UNSUPPORTED_VERSION", "[bundle]") {
  SECTION("min_reader_version above this reader") {
    Bytes bytes = WrittenFixture().serialize();
    store_u32(bytes, 12, shelfwise::kBundleFormatVersion + 1);
    auto result = read(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::unsupported_version);
    CHECK_THAT(result.status().message(),
               Catch::Contains("needs a reader of version " + std::to_string(shelfwise::kBundleFormatVersion + 1)));
  }
  SECTION("format_version zero") {
    Bytes bytes = WrittenFixture().serialize();
    store_u32(bytes, 8, 0);
    auto result = read(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::unsupported_version);
  }
}

TEST_CASE("A newer format that an older reader may read is accepted", "[bundle]") {
  // A format_version above this reader's with min_reader_version 1: additions it may ignore.
  const std::uint32_t newer = shelfwise::kBundleFormatVersion + 1;
  json manifest = base_manifest();
  manifest["format_version"] = newer;
  manifest["something_new"] = {{"added_in", newer}};
  auto result = read(assemble(manifest, {}, newer, 1));
  REQUIRE(result.ok());
  CHECK(result.value()->format_version() == newer);
}

// Format v2 adds dtype u16; a bundle that uses it says so, so v1 readers refuse it by version.
TEST_CASE("u16 tensors make a v2 bundle, and a v1 bundle may not hold one", "[bundle][tensor]") {
  shelfwise::BundleWriter writer(3, {{"model", {{"kind", "pop"}, {"version", "v2-fixture"}}}});
  const std::vector<std::uint16_t> values{1, 65535, 7};
  writer.add_vector("narrow", DType::u16, values);
  const Bytes bytes = writer.serialize();
  CHECK(bytes[8] == 2);   // format_version
  CHECK(bytes[12] == 2);  // min_reader_version
  auto result = read(bytes);
  REQUIRE(result.ok());
  CHECK(result.value()->format_version() == 2);
  const auto view = result.value()->view<std::uint16_t>("narrow", DType::u16);
  REQUIRE(view.ok());
  CHECK(std::vector<std::uint16_t>(view.value().begin(), view.value().end()) == values);

  const Bytes data{1, 0, 2, 0};
  json manifest = base_manifest();
  manifest["tensors"].push_back(tensor_entry("narrow", "u16", {2}, kDataStart, data));
  auto v1 = read(assemble(manifest, data));
  REQUIRE_FALSE(v1.ok());
  CHECK(v1.status().code() == ErrorCode::bad_tensor);
  CHECK_THAT(v1.status().message(), Catch::Contains("'narrow'") && Catch::Contains("needs format v2"));
}

TEST_CASE("A flipped manifest or header CRC fails with CHECKSUM_MISMATCH", "[bundle]") {
  const Bytes valid = WrittenFixture().serialize();
  SECTION("a byte of the manifest text") {
    Bytes bytes = valid;
    bytes[shelfwise::kBundleHeaderSize + 5] ^= 0x01;
    auto result = read(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::checksum_mismatch);
    CHECK_THAT(result.status().message(), Catch::Contains("manifest"));
  }
  SECTION("a bit of the stored manifest CRC") {
    Bytes bytes = valid;
    bytes[26] ^= 0x80;
    auto result = read(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::checksum_mismatch);
  }
}

TEST_CASE("A manifest that is not a JSON object fails with BAD_MANIFEST", "[bundle][manifest]") {
  for (const std::string text : {"", "{\"format\": ", "not json at all", "[1, 2, 3]", "\"shelfwise-bundle\"", "42", "null"}) {
    auto result = read(assemble_text(text));
    INFO("manifest text: " << text);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::bad_manifest);
    CHECK_THAT(result.status().message(), Catch::Contains("not a JSON object"));
  }
}

TEST_CASE("Missing or wrong-typed manifest fields fail with BAD_MANIFEST naming the field", "[bundle][manifest]") {
  struct Case {
    const char* label;
    std::function<void(json&)> edit;
    const char* field;  // quoted in the message
  };
  const std::vector<Case> cases{
      {"format missing", [](json& m) { m.erase("format"); }, "'format'"},
      {"format not a string", [](json& m) { m["format"] = 1; }, "'format'"},
      {"format names another format", [](json& m) { m["format"] = "zip"; }, "'format'"},
      {"format_version missing", [](json& m) { m.erase("format_version"); }, "'format_version'"},
      {"format_version a string", [](json& m) { m["format_version"] = "1"; }, "'format_version'"},
      {"format_version negative", [](json& m) { m["format_version"] = -1; }, "'format_version'"},
      {"format_version disagrees with the header", [](json& m) { m["format_version"] = 3; }, "'format_version'"},
      {"item_count missing", [](json& m) { m.erase("item_count"); }, "'item_count'"},
      {"item_count a float", [](json& m) { m["item_count"] = 2.5; }, "'item_count'"},
      {"item_count negative", [](json& m) { m["item_count"] = -3; }, "'item_count'"},
      {"item_count a string", [](json& m) { m["item_count"] = "3"; }, "'item_count'"},
      {"model missing", [](json& m) { m.erase("model"); }, "'model'"},
      {"model not an object", [](json& m) { m["model"] = "pop"; }, "'model'"},
      {"model.kind missing", [](json& m) { m["model"].erase("kind"); }, "'model.kind'"},
      {"model.kind not a string", [](json& m) { m["model"]["kind"] = 7; }, "'model.kind'"},
      {"tensors missing", [](json& m) { m.erase("tensors"); }, "'tensors'"},
      {"tensors an object", [](json& m) { m["tensors"] = json::object(); }, "'tensors'"},
      {"tensor entry not an object", [](json& m) { m["tensors"] = json::array({1}); }, "'tensors[0]'"},
      {"tensor name missing", [](json& m) { m["tensors"][0].erase("name"); }, "'tensors[0].name'"},
      {"tensor dtype not a string", [](json& m) { m["tensors"][0]["dtype"] = 4; }, ".dtype'"},
      {"tensor offset missing", [](json& m) { m["tensors"][0].erase("offset"); }, ".offset'"},
      {"tensor size negative", [](json& m) { m["tensors"][0]["size"] = -16; }, ".size'"},
      {"tensor crc32 missing", [](json& m) { m["tensors"][0].erase("crc32"); }, ".crc32'"},
  };
  const Bytes data = iota_bytes(16);
  for (const auto& entry : cases) {
    json manifest = manifest_with_one_tensor(data);
    entry.edit(manifest);
    auto result = read(assemble(manifest, data));
    INFO(entry.label);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::bad_manifest);
    CHECK_THAT(result.status().message(), Catch::Contains(entry.field));
  }
}

TEST_CASE("An item_count of zero or above the limit fails with LIMIT_EXCEEDED", "[bundle][manifest]") {
  for (const std::uint64_t count : {std::uint64_t{0}, shelfwise::kMaxItemCount + 1, std::uint64_t{1} << 62}) {
    json manifest = base_manifest();
    manifest["item_count"] = count;
    auto result = read(assemble(manifest));
    INFO("item_count " << count);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::limit_exceeded);
    CHECK_THAT(result.status().message(), Catch::Contains("item_count"));
  }
  json manifest = base_manifest();
  manifest["item_count"] = shelfwise::kMaxItemCount;  // the limit itself is allowed
  CHECK(read(assemble(manifest)).ok());
}

TEST_CASE("More tensors than the limit fail with LIMIT_EXCEEDED", "[bundle][manifest]") {
  json manifest = base_manifest();
  for (std::size_t index = 0; index <= shelfwise::kMaxTensorCount; ++index) {
    manifest["tensors"].push_back(tensor_entry("t" + std::to_string(index), "u8", {0}, kDataStart, {}));
  }
  auto result = read(assemble(manifest));
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::limit_exceeded);
}

TEST_CASE("Malformed tensor entries fail with BAD_TENSOR", "[bundle][tensor]") {
  const Bytes data = iota_bytes(256);
  const Bytes first(data.begin(), data.begin() + 16);
  struct Case {
    const char* label;
    json manifest;
    const char* message;
  };
  auto with = [&](std::function<void(json&)> edit) {
    json manifest = manifest_with_one_tensor(first);
    edit(manifest);
    return manifest;
  };
  std::vector<Case> cases{
      {"unknown dtype", with([](json& m) { m["tensors"][0]["dtype"] = "f64"; }), "not a known dtype"},
      {"shape not an array", with([](json& m) { m["tensors"][0]["shape"] = 16; }), "shape"},
      {"shape with no dimensions", with([](json& m) { m["tensors"][0]["shape"] = json::array(); }), "shape"},
      {"shape of rank 5",
       with([](json& m) { m["tensors"][0]["shape"] = {1, 1, 1, 1, 16}; }), "shape"},
      {"negative dimension", with([](json& m) { m["tensors"][0]["shape"] = {-16}; }), "non-integer"},
      {"fractional dimension", with([](json& m) { m["tensors"][0]["shape"] = {16.5}; }), "non-integer"},
      {"crc32 wider than 32 bits", with([](json& m) { m["tensors"][0]["crc32"] = std::uint64_t{1} << 33; }), "crc32"},
      {"offset not 64-byte aligned", with([](json& m) { m["tensors"][0]["offset"] = kDataStart + 4; }), "64-byte aligned"},
      {"offset inside the manifest", with([](json& m) { m["tensors"][0]["offset"] = 64; }), "overlaps the header or manifest"},
      {"offset zero", with([](json& m) { m["tensors"][0]["offset"] = 0; }), "overlaps the header or manifest"},
  };
  {
    json manifest = base_manifest();
    manifest["tensors"].push_back(tensor_entry("t", "u8", {16}, kDataStart, first));
    manifest["tensors"].push_back(tensor_entry("t", "u8", {16}, kDataStart + 64,
                                               Bytes(data.begin() + 64, data.begin() + 80)));
    cases.push_back({"duplicate names", manifest, "appears twice"});
  }
  {
    // 128 bytes from kDataStart and 64 bytes from kDataStart + 64, each with a correct CRC.
    json manifest = base_manifest();
    manifest["tensors"].push_back(tensor_entry("wide", "u8", {128}, kDataStart, Bytes(data.begin(), data.begin() + 128)));
    manifest["tensors"].push_back(
        tensor_entry("inner", "u8", {64}, kDataStart + 64, Bytes(data.begin() + 64, data.begin() + 128)));
    cases.push_back({"overlapping tensors", manifest, "overlap"});
  }
  {
    // Listed in reverse file order: the check must not depend on the manifest order.
    json manifest = base_manifest();
    manifest["tensors"].push_back(
        tensor_entry("later", "u8", {64}, kDataStart + 64, Bytes(data.begin() + 64, data.begin() + 128)));
    manifest["tensors"].push_back(tensor_entry("earlier", "u8", {65}, kDataStart, Bytes(data.begin(), data.begin() + 65)));
    cases.push_back({"overlapping tensors listed in reverse order", manifest, "overlap"});
  }
  for (const auto& entry : cases) {
    auto result = read(assemble(entry.manifest, data));
    INFO(entry.label);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::bad_tensor);
    CHECK_THAT(result.status().message(), Catch::Contains(entry.message));
  }
}

TEST_CASE("A tensor whose size disagrees with its shape and dtype fails with SHAPE_MISMATCH", "[bundle][tensor]") {
  const Bytes data = iota_bytes(64);
  SECTION("f32 [3] stored in 8 bytes") {
    json manifest = base_manifest();
    manifest["tensors"].push_back(tensor_entry("t", "f32", {3}, kDataStart, Bytes(data.begin(), data.begin() + 8)));
    auto result = read(assemble(manifest, data));
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::shape_mismatch);
    CHECK_THAT(result.status().message(), Catch::Contains("has size 8") && Catch::Contains("need 12"));
  }
  SECTION("u32 [2, 3] stored in 16 bytes") {
    json manifest = base_manifest();
    manifest["tensors"].push_back(tensor_entry("t", "u32", {2, 3}, kDataStart, Bytes(data.begin(), data.begin() + 16)));
    auto result = read(assemble(manifest, data));
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::shape_mismatch);
  }
  SECTION("a shape whose byte count overflows 64 bits") {
    json manifest = base_manifest();
    manifest["tensors"].push_back(tensor_entry("t", "f32", {std::uint64_t{1} << 32, std::uint64_t{1} << 31}, kDataStart,
                                               Bytes(data.begin(), data.begin() + 16)));
    auto result = read(assemble(manifest, data));
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::shape_mismatch);
  }
}

TEST_CASE("An empty tensor sharing its offset with the next tensor is not an overlap", "[bundle][tensor]") {
  // The writer places a zero-byte tensor at the same aligned offset as the tensor after it (an
  // item-kNN bundle has empty lists for a log of single clicks, a catalogue may have no titles).
  // Such a bundle must read back whatever the tensor count and position.
  std::vector<std::string> refused;
  for (int count = 2; count <= 24; ++count) {
    for (int empty_at = 0; empty_at < count - 1; ++empty_at) {
      shelfwise::BundleWriter writer(1, {{"model", {{"kind", "pop"}, {"version", "v"}}}});
      for (int index = 0; index < count; ++index) {
        writer.add_vector("t" + std::to_string(index), DType::u8, index == empty_at ? Bytes{} : Bytes(8, 1));
      }
      auto result = read(writer.serialize());
      if (!result.ok()) {
        refused.push_back(std::to_string(count) + " tensors, empty at " + std::to_string(empty_at) + ": " +
                          result.status().to_string());
      }
    }
  }
  INFO("refused " << refused.size() << " valid bundles, first: " << (refused.empty() ? "" : refused.front()));
  CHECK(refused.empty());
}

TEST_CASE("A flipped tensor byte fails with CHECKSUM_MISMATCH naming the tensor", "[bundle][tensor]") {
  const Bytes valid = WrittenFixture().serialize();
  auto parsed = read(valid);
  REQUIRE(parsed.ok());
  for (const auto& info : parsed.value()->tensors()) {
    if (info.size == 0) continue;
    for (const std::uint64_t position : {std::uint64_t{0}, info.size / 2, info.size - 1}) {
      Bytes bytes = valid;
      bytes[info.offset + position] ^= 0x10;
      auto result = read(bytes);
      INFO("tensor " << info.name << " byte " << position);
      REQUIRE_FALSE(result.ok());
      CHECK(result.status().code() == ErrorCode::checksum_mismatch);
      CHECK_THAT(result.status().message(), Catch::Contains("'" + info.name + "'"));
    }
  }
}

TEST_CASE("NaN or Inf in a float tensor fails with NON_FINITE", "[bundle][tensor]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (const float bad : {nan, inf, -inf}) {
    shelfwise::BundleWriter writer(2, {{"model", {{"kind", "pop"}, {"version", "v"}}}});
    writer.add_vector("fine", DType::f32, std::vector<float>{1.0f, 2.0f});
    writer.add_vector("scores", DType::f32, std::vector<float>{0.5f, bad, 0.25f});
    const Bytes bytes = writer.serialize();
    auto result = read(bytes);
    INFO("value " << bad);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::non_finite);
    CHECK_THAT(result.status().message(), Catch::Contains("'scores'"));
  }
  SECTION("f16 infinity and NaN") {
    for (const std::uint16_t bad : {std::uint16_t{0x7C00}, std::uint16_t{0xFC00}, std::uint16_t{0x7E00}}) {
      shelfwise::BundleWriter writer(2, {{"model", {{"kind", "pop"}, {"version", "v"}}}});
      writer.add_vector("halves", DType::f16, std::vector<std::uint16_t>{0x3C00, bad});
      auto result = read(writer.serialize());
      REQUIRE_FALSE(result.ok());
      CHECK(result.status().code() == ErrorCode::non_finite);
    }
  }
  SECTION("the largest finite values are accepted") {
    shelfwise::BundleWriter writer(2, {{"model", {{"kind", "pop"}, {"version", "v"}}}});
    writer.add_vector("floats", DType::f32, std::vector<float>{std::numeric_limits<float>::max(), -0.0f,
                                                               std::numeric_limits<float>::denorm_min()});
    writer.add_vector("halves", DType::f16, std::vector<std::uint16_t>{0x7BFF, 0xFBFF});
    CHECK(read(writer.serialize()).ok());
  }
  SECTION("NaN bytes in an integer tensor are just integers") {
    shelfwise::BundleWriter writer(2, {{"model", {{"kind", "pop"}, {"version", "v"}}}});
    writer.add_vector("words", DType::u32, std::vector<std::uint32_t>{0x7FC00000U, 0x7F800000U});
    CHECK(read(writer.serialize()).ok());
  }
}

TEST_CASE("A tensor that lies beyond the end of the file fails with TRUNCATED", "[bundle][tensor]") {
  const Bytes data = iota_bytes(64);
  SECTION("offset far past the end") {
    json manifest = base_manifest();
    manifest["tensors"].push_back(tensor_entry("far", "u8", {16}, std::uint64_t{1} << 40, Bytes(data.begin(), data.begin() + 16)));
    const Bytes bytes = assemble(manifest, data);
    auto result = read(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::truncated);
    CHECK_THAT(result.status().message(), Catch::Contains("truncated at byte " + std::to_string(bytes.size())) &&
                                              Catch::Contains("'far'"));
  }
  SECTION("starts inside, ends outside") {
    json manifest = base_manifest();
    const Bytes long_tensor = iota_bytes(128);
    manifest["tensors"].push_back(tensor_entry("long", "u8", {128}, kDataStart, long_tensor));
    auto result = read(assemble(manifest, data));  // only 64 data bytes in the file
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::truncated);
  }
  SECTION("an offset + size that would wrap around 64 bits") {
    json manifest = base_manifest();
    manifest["tensors"].push_back({{"name", "wrap"},
                                   {"dtype", "u8"},
                                   {"shape", {std::numeric_limits<std::uint64_t>::max() - 63}},
                                   {"offset", kDataStart},
                                   {"size", std::numeric_limits<std::uint64_t>::max() - 63},
                                   {"crc32", 0}});
    auto result = read(assemble(manifest, data));
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == ErrorCode::truncated);
  }
}

TEST_CASE("Random byte flips and truncations never crash the reader", "[bundle][fuzz]") {
  const Bytes& valid = trained_bundle();
  REQUIRE(shelfwise::Model::load(ByteBuffer::copy_of(valid.data(), valid.size())).ok());
  std::mt19937 random(20240611);
  std::size_t rejected = 0;
  std::size_t accepted = 0;
  for (int round = 0; round < 400; ++round) {
    Bytes bytes = valid;
    const int mode = round % 4;
    if (mode == 0) {
      bytes.resize(random() % bytes.size());
    } else if (mode == 1) {
      const int flips = 1 + static_cast<int>(random() % 4);
      for (int flip = 0; flip < flips; ++flip) bytes[random() % bytes.size()] ^= static_cast<std::uint8_t>(1U << (random() % 8));
    } else {
      // Change digits inside the manifest and re-sign it, so the parse and the field checks
      // (offsets, sizes, shapes, counts) see the damage instead of the CRC.
      const std::size_t manifest_size = static_cast<std::size_t>(load_u64(bytes, 16));
      std::vector<std::size_t> digits;
      for (std::size_t at = 0; at < manifest_size; ++at) {
        const char character = static_cast<char>(bytes[shelfwise::kBundleHeaderSize + at]);
        if (character >= '0' && character <= '9') digits.push_back(shelfwise::kBundleHeaderSize + at);
      }
      const int changes = 1 + static_cast<int>(random() % 3);
      for (int change = 0; change < changes; ++change) {
        bytes[digits[random() % digits.size()]] = static_cast<std::uint8_t>('0' + random() % 10);
      }
      store_u32(bytes, 24, shelfwise::crc32(bytes.data() + shelfwise::kBundleHeaderSize, manifest_size));
    }
    auto model = shelfwise::Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
    if (!model.ok()) {
      ++rejected;
      CHECK(model.status().code() != ErrorCode::ok);
      CHECK_FALSE(model.status().message().empty());
      continue;
    }
    ++accepted;
    // Whatever was accepted must be usable: every item can be recommended from and for.
    const auto& loaded = *model.value();
    REQUIRE(loaded.item_count() > 0);
    shelfwise::Recommender recommender(model.value());
    std::vector<shelfwise::Recommendation> results;
    for (std::uint32_t item = 0; item < loaded.item_count(); ++item) {
      shelfwise::SessionState session;
      session.add({item, shelfwise::EventType::view, 0.0});
      REQUIRE(recommender.recommend(session, 10, {}, &results).ok());
      for (const auto& result : results) REQUIRE(result.item < loaded.item_count());
      REQUIRE(recommender.related(item, 10, {}, &results).ok());
    }
  }
  CHECK(rejected > 300);  // nearly every corruption is caught
  CHECK(rejected + accepted == 400);
}
