// Checked reads of manifest fields. nlohmann's accessors throw (abort, in the no-exception wasm
// build) on a type mismatch, so every read of untrusted JSON goes through these, which return a
// BAD_MANIFEST status naming the field instead.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "shelfwise/status.hpp"

namespace shelfwise {

// `path` is the dotted name used in messages ("model.kind").
Status read_string(const nlohmann::json& object, const char* key, const std::string& path, std::string* out);
Status read_unsigned(const nlohmann::json& object, const char* key, const std::string& path, std::uint64_t* out);
Status read_number(const nlohmann::json& object, const char* key, const std::string& path, double* out);
// Like read_number, but leaves *out unchanged when the key is absent.
Status read_optional_number(const nlohmann::json& object, const char* key, const std::string& path, double* out);
Status require_object(const nlohmann::json& object, const char* key, const std::string& path,
                      const nlohmann::json** out);

// Serialises without aborting on invalid UTF-8 (it is replaced), for manifests built from user data.
std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace shelfwise
