// parse_json (core/include/shelfwise/json_parser.hpp) for the shipped wasm: the text goes to the
// host's JSON.parse (js/src/json_binary.js, installed by the SDK as Module.shelfwiseJson) and
// comes back in the binary form of json_binary.hpp, so the wasm carries no JSON text parser.
#include <emscripten/emscripten.h>

#include <string>

#include "shelfwise/json_binary.hpp"
#include "shelfwise/json_parser.hpp"

// Two steps, so the core allocates the room and the host never calls back into wasm.
EM_JS(int, sw_host_json_parse, (const char* text, std::size_t size), {
  return Module.shelfwiseJson.parse(HEAPU8.subarray(text >>> 0, (text >>> 0) + size));
});
EM_JS(void, sw_host_json_take, (char* out), { Module.shelfwiseJson.take(HEAPU8, out >>> 0); });

namespace shelfwise {

std::optional<JsonValue> parse_json(std::string_view text) {
  const int size = sw_host_json_parse(text.data(), text.size());
  if (size < 0) return std::nullopt;
  std::string encoded(static_cast<std::size_t>(size), '\0');
  sw_host_json_take(encoded.data());
  return decode_json_binary(encoded);
}

}  // namespace shelfwise
