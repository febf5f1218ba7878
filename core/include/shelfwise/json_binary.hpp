// The compact binary form in which JSON documents cross between the shipped wasm and its JS host
// (js/src/json_binary.js is the other half): the host parses text with JSON.parse and hands the
// tree over in this form, and results the SDK reads as objects come back in it, so neither side
// needs a JSON text parser or printer in wasm.
//
// One value = one tag byte, then:
//   0 null, 1 false, 2 true: nothing
//   3 float, 4 non-negative integer, 5 negative integer: f64 little-endian (integers exact to 2^53)
//   6 string: u32 byte length, UTF-8 bytes
//   7 array: u32 count, the elements
//   8 object: u32 count, then per member a u32 key length, the key's UTF-8 bytes and the value
// Every count and length is little-endian.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shelfwise/json_value.hpp"

namespace shelfwise {

// Nesting deeper than this is refused by both halves (decoding recurses).
inline constexpr std::size_t kMaxJsonBinaryDepth = 256;

// The value, or nothing when the bytes are not one well-formed value (truncated, trailing bytes,
// unknown tag, non-finite number, too deep).
std::optional<JsonValue> decode_json_binary(std::string_view bytes);

// Appends the encoding of `value` to `out`.
void encode_json_binary(const JsonValue& value, std::string* out);

}  // namespace shelfwise
