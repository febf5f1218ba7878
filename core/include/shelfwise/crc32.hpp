// CRC-32 (IEEE 802.3, the zlib polynomial), used for the bundle's manifest and tensor checksums.
// It catches truncation and bit rot; integrity against tampering is the signed manifest's job.
#pragma once

#include <cstddef>
#include <cstdint>

namespace shelfwise {

// crc32_portable over blocks of the bytes (the same value), so that wasm engines that optimise a
// function only for its later calls run most of a model's check as optimised code.
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t previous = 0);

// Slicing-by-16 in plain C++: the same values on every platform.
std::uint32_t crc32_portable(const void* data, std::size_t size, std::uint32_t previous = 0);

}  // namespace shelfwise
