#include "shelfwise/crc32.hpp"

#include <algorithm>
#include <array>

namespace shelfwise {
namespace {

// Slicing-by-4 tables: a 40 MB bundle is checked in a few tens of milliseconds in wasm.
struct Crc32Tables {
  std::array<std::array<std::uint32_t, 256>, 4> table{};
  Crc32Tables() {
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
      std::uint32_t value = byte;
      for (int bit = 0; bit < 8; ++bit) value = (value & 1U) ? (value >> 1) ^ 0xEDB88320U : value >> 1;
      table[0][byte] = value;
    }
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
      for (int slice = 1; slice < 4; ++slice) {
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

// V8 runs a wasm function's first calls in its baseline tier and swaps in optimised code only
// between calls, so one call over a whole bundle (megabytes, checked at every load) would stay in
// the slow tier to the end. The bytes go through in 64 KB steps, each a call of its own.
__attribute__((noinline)) std::uint32_t crc32_step(const std::uint8_t* bytes, std::size_t size, std::uint32_t crc) {
  const auto& table = tables().table;
  while (size >= 4) {
    crc ^= static_cast<std::uint32_t>(bytes[0]) | (static_cast<std::uint32_t>(bytes[1]) << 8) |
           (static_cast<std::uint32_t>(bytes[2]) << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
    crc = table[3][crc & 0xFFU] ^ table[2][(crc >> 8) & 0xFFU] ^ table[1][(crc >> 16) & 0xFFU] ^
          table[0][crc >> 24];
    bytes += 4;
    size -= 4;
  }
  while (size-- > 0) crc = (crc >> 8) ^ table[0][(crc ^ *bytes++) & 0xFFU];
  return crc;
}

}  // namespace

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t previous) {
  constexpr std::size_t kStep = 64 * 1024;
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::uint32_t crc = ~previous;
  for (std::size_t done = 0; done < size; done += kStep) crc = crc32_step(bytes + done, std::min(kStep, size - done), crc);
  return ~crc;
}

}  // namespace shelfwise
