// The native side's bridge between nlohmann::json (trainers, publisher, CLI and tests build and
// print documents with it) and the core's JsonValue. Not part of the shipped wasm, which has no
// JSON library: link it only where parse_json comes from json_parser_nlohmann.cpp.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/json_fields.hpp"
#include "shelfwise/json_value.hpp"
#include "shelfwise/session_knn.hpp"

namespace shelfwise {

JsonValue from_nlohmann(const nlohmann::json& value);
nlohmann::json to_nlohmann(const JsonValue& value);

// The bundle's manifest as nlohmann reads its text (the bundle is already validated).
nlohmann::json manifest_json(const Bundle& bundle);
// The same without the keys a BundleWriter writes itself ("format", "format_version",
// "item_count", "tensors"): the manifest to hand a writer that rewrites the bundle.
nlohmann::json rewritable_manifest(const Bundle& bundle);

// Serialises without aborting on invalid UTF-8 (it is replaced), for manifests built from user data.
std::string dump_json(const nlohmann::json& value, int indent = -1);

// The checked reads of json_fields.hpp, for documents built or parsed with nlohmann.
Status read_string(const nlohmann::json& object, const char* key, const std::string& path, std::string* out);
Status read_session_knn_config(const nlohmann::json& inference, const std::string& path, SessionKnnConfig* config);

}  // namespace shelfwise
