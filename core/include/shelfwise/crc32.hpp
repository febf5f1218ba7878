// CRC-32 (IEEE 802.3, the zlib polynomial), used for the bundle's manifest and tensor checksums.
// It catches truncation and bit rot; integrity against tampering is the signed manifest's job.
#pragma once

#include <cstddef>
#include <cstdint>

namespace shelfwise {

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t previous = 0);

}  // namespace shelfwise
