// JSON text to JsonValue. The core declares it and the build links one definition:
// json_parser_nlohmann.cpp (native builds and the Node tools) or wasm/json_parser_host.cpp (the
// shipped wasm, which hands the text to the host's JSON.parse).
#pragma once

#include <optional>
#include <string_view>

#include "shelfwise/json_value.hpp"

namespace shelfwise {

// The document, or nothing when `text` is not valid UTF-8 JSON (or holds a number out of the
// double range).
std::optional<JsonValue> parse_json(std::string_view text);

}  // namespace shelfwise
