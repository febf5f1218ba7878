#include "shelfwise/crc32.hpp"

#include <array>

namespace shelfwise {
namespace {

// Slicing-by-16 tables (16 KB): sixteen table lookups per 16 bytes with no dependency between
// them within a step, half the steps of slicing-by-8; every byte of every bundle is checked at
// each load.
constexpr int kSlices = 16;

struct Crc32Tables {
  std::array<std::array<std::uint32_t, 256>, kSlices> table{};
  Crc32Tables() {
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
      std::uint32_t value = byte;
      for (int bit = 0; bit < 8; ++bit) value = (value & 1U) ? (value >> 1) ^ 0xEDB88320U : value >> 1;
      table[0][byte] = value;
    }
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
      for (int slice = 1; slice < kSlices; ++slice) {
        const std::uint32_t previous = table[slice - 1][byte];
        table[slice][byte] = (previous >> 8) ^ table[0][previous & 0xFFU];
      }
    }
  }
};

const Crc32Tables& tables() {
  static const Crc32Tables instance;
  return instance;
}

}  // namespace

// Out of line, and called per block by crc32: see there.
[[gnu::noinline]] std::uint32_t crc32_portable(const void* data, std::size_t size, std::uint32_t previous) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::uint32_t crc = ~previous;
  const auto& table = tables().table;
  const auto load_u32 = [](const std::uint8_t* at) {
    return static_cast<std::uint32_t>(at[0]) | (static_cast<std::uint32_t>(at[1]) << 8) |
           (static_cast<std::uint32_t>(at[2]) << 16) | (static_cast<std::uint32_t>(at[3]) << 24);
  };
  while (size >= 16) {
    const std::uint32_t first = crc ^ load_u32(bytes);
    const std::uint32_t second = load_u32(bytes + 4);
    const std::uint32_t third = load_u32(bytes + 8);
    const std::uint32_t fourth = load_u32(bytes + 12);
    crc = table[15][first & 0xFFU] ^ table[14][(first >> 8) & 0xFFU] ^ table[13][(first >> 16) & 0xFFU] ^ table[12][first >> 24] ^
          table[11][second & 0xFFU] ^ table[10][(second >> 8) & 0xFFU] ^ table[9][(second >> 16) & 0xFFU] ^ table[8][second >> 24] ^
          table[7][third & 0xFFU] ^ table[6][(third >> 8) & 0xFFU] ^ table[5][(third >> 16) & 0xFFU] ^ table[4][third >> 24] ^
          table[3][fourth & 0xFFU] ^ table[2][(fourth >> 8) & 0xFFU] ^ table[1][(fourth >> 16) & 0xFFU] ^ table[0][fourth >> 24];
    bytes += 16;
    size -= 16;
  }
  while (size-- > 0) crc = (crc >> 8) ^ table[0][(crc ^ *bytes++) & 0xFFU];
  return ~crc;
}

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t previous) {
  // In blocks, each a call of its own. A model's load checks every byte once, and V8 (with no
  // on-stack replacement for wasm) runs a function's first calls as baseline code and only later
  // calls as optimised code: one call over a 4.4 MB bundle ran as baseline code throughout.
  constexpr std::size_t kBlockBytes = 64 * 1024;
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::uint32_t crc = previous;
  while (size > 0) {
    const std::size_t block = size < kBlockBytes ? size : kBlockBytes;
    crc = crc32_portable(bytes, block, crc);
    bytes += block;
    size -= block;
  }
  return crc;
}

}  // namespace shelfwise
