// CRC-32 (IEEE 802.3 / zlib): known vectors, incremental use, and the slicing-by-8 path agreeing
// with a bit-at-a-time reference for every length and alignment.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "shelfwise/crc32.hpp"

namespace {

std::uint32_t crc_of(const std::string& text) { return shelfwise::crc32(text.data(), text.size()); }

std::uint32_t reference_crc32(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (std::size_t index = 0; index < size; ++index) {
    crc ^= data[index];
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1U) ? (crc >> 1) ^ 0xEDB88320U : crc >> 1;
  }
  return ~crc;
}

}  // namespace

TEST_CASE("crc32 matches the published check values", "[crc32]") {
  CHECK(crc_of("123456789") == 0xCBF43926U);
  CHECK(crc_of("") == 0x00000000U);
  CHECK(crc_of("a") == 0xE8B7BE43U);
  CHECK(crc_of("The quick brown fox jumps over the lazy dog") == 0x414FA339U);
  CHECK(shelfwise::crc32(nullptr, 0) == 0U);
}

TEST_CASE("crc32 continues from a previous value", "[crc32]") {
  const std::string text = "The quick brown fox jumps over the lazy dog";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    const std::uint32_t head = shelfwise::crc32(text.data(), split);
    const std::uint32_t whole = shelfwise::crc32(text.data() + split, text.size() - split, head);
    REQUIRE(whole == 0x414FA339U);
  }
}

TEST_CASE("crc32 agrees with a bitwise reference for every length and offset", "[crc32]") {
  std::vector<std::uint8_t> bytes(300);
  for (std::size_t index = 0; index < bytes.size(); ++index) bytes[index] = static_cast<std::uint8_t>(index * 131 + 7);
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t size = 0; size + offset <= 260; ++size) {
      REQUIRE(shelfwise::crc32(bytes.data() + offset, size) == reference_crc32(bytes.data() + offset, size));
    }
  }
}

TEST_CASE("crc32 detects a single flipped bit", "[crc32]") {
  std::string text(64, 'x');
  const std::uint32_t original = crc_of(text);
  for (std::size_t index = 0; index < text.size(); ++index) {
    std::string flipped = text;
    flipped[index] = static_cast<char>(flipped[index] ^ 0x01);
    REQUIRE(crc_of(flipped) != original);
  }
}

// Bundles are megabytes: long inputs, every offset parity of the 8-byte steps.
TEST_CASE("crc32 agrees with the reference on long inputs", "[crc32]") {
  std::vector<std::uint8_t> bytes(3 * 65536 + 300);
  for (std::size_t index = 0; index < bytes.size(); ++index) bytes[index] = static_cast<std::uint8_t>(index * 2654435761U >> 13);
  for (const std::size_t size : {65535UL, 65536UL, 65537UL, 131072UL + 3, bytes.size()}) {
    REQUIRE(shelfwise::crc32(bytes.data(), size) == reference_crc32(bytes.data(), size));
    REQUIRE(shelfwise::crc32(bytes.data() + 1, size - 1) == reference_crc32(bytes.data() + 1, size - 1));
  }
}

TEST_CASE("crc32 over several blocks agrees with one pass and with the reference", "[crc32]") {
  // crc32 hands crc32_portable 64 KB at a time: lengths around and across the block edges.
  std::vector<std::uint8_t> bytes(3 * 65536 + 100);
  for (std::size_t index = 0; index < bytes.size(); ++index) bytes[index] = static_cast<std::uint8_t>((index * 2654435761U) >> 13);
  for (const std::size_t size : {65535UL, 65536UL, 65537UL, 2 * 65536UL + 1, 3 * 65536UL + 99}) {
    for (const std::size_t offset : {0UL, 1UL}) {
      const std::uint32_t expected = reference_crc32(bytes.data() + offset, size);
      CHECK(shelfwise::crc32(bytes.data() + offset, size) == expected);
      CHECK(shelfwise::crc32_portable(bytes.data() + offset, size) == expected);
    }
  }
}
