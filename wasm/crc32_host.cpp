// crc32 (core/include/shelfwise/crc32.hpp) for the shipped wasm. Loading a model checksums every
// byte of it once, in a function called once: V8 has no on-stack replacement for wasm, so that
// loop runs as baseline (Liftoff) code for the whole bundle. A host with a native CRC-32 (Node's
// zlib.crc32, installed by the SDK as Module.shelfwiseCrc32) does the big checks instead; other
// hosts get the portable one. Both compute the zlib polynomial, so bundles check the same either way.
#include <emscripten/emscripten.h>

#include "shelfwise/crc32.hpp"

EM_JS(int, sw_host_has_crc32, (), { return Module.shelfwiseCrc32 ? 1 : 0; });
EM_JS(std::uint32_t, sw_host_crc32, (const void* data, std::size_t size, std::uint32_t previous), {
  return Module.shelfwiseCrc32(HEAPU8.subarray(data >>> 0, (data >>> 0) + size), previous >>> 0);
});

namespace shelfwise {
namespace {

// Loading node:zlib costs a Node process 3-4 ms at its first CRC (measured at a cold start), as
// much as the baseline-code loop takes for about 1.5 MB. Small bundles (every check below this)
// never load it; once a bigger check has, it does every check, being faster per byte.
constexpr std::size_t kHostCrc32Minimum = 256 * 1024;

}  // namespace

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t previous) {
  static const bool host_has_crc32 = sw_host_has_crc32() != 0;
  static bool host_started = false;
  if (host_has_crc32 && (host_started || size >= kHostCrc32Minimum)) {
    host_started = true;
    return sw_host_crc32(data, size, previous);
  }
  return crc32_portable(data, size, previous);
}

}  // namespace shelfwise
