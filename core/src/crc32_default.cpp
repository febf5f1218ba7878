// crc32 everywhere but in the shipped wasm, which links wasm/crc32_host.cpp instead.
#include "shelfwise/crc32.hpp"

namespace shelfwise {

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t previous) { return crc32_portable(data, size, previous); }

}  // namespace shelfwise
