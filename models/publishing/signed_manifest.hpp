// The signed envelope of a channel manifest, and exactly which bytes are signed.
//
// `<channel>/manifest.json` is this JSON object (pretty-printed):
//   {"format": "shelfwise-signed-manifest", "algorithm": "ES256", "key_id": "<16 hex>",
//    "payload": "<the manifest itself, as JSON text>", "signature": "<base64url, 64 bytes>"}
// The signature is ECDSA P-256 with SHA-256 over the UTF-8 bytes of the "payload" string, exactly
// as they are after JSON-unescaping it, in the IEEE P1363 form r || s (what WebCrypto verifies).
// Carrying the payload as a string means no canonical-JSON rules are needed on any device: the
// verifier checks the very bytes it then parses. The publisher writes the payload compact with
// sorted keys, but a verifier must not rely on that.
//
// Payload keys (format_version 1): "format" = "shelfwise-channel-manifest", "format_version",
// "channel", "sequence" (increases with every publication to the channel, rollbacks included, so a
// device can refuse an older manifest replayed at it), "created_at" (UTC, ISO 8601),
// "min_sdk_version" ("MAJOR.MINOR.PATCH"), "model" {"kind", "version", "created_at", "item_count"},
// "bundle" {"url" (relative to the manifest's own URL), "size", "sha256" (hex)}, and "canaries"
// (publishing/canary_vectors.hpp).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "publishing/ecdsa_key.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise::publishing {

inline constexpr const char* kSignedManifestFormat = "shelfwise-signed-manifest";
inline constexpr const char* kChannelManifestFormat = "shelfwise-channel-manifest";
inline constexpr int kChannelManifestFormatVersion = 1;
inline constexpr const char* kSignatureAlgorithm = "ES256";

// Signs `payload` (serialised compact, keys sorted) and returns the envelope's text.
Result<std::string> seal_manifest(const nlohmann::json& payload, const EcdsaKey& key);

// Checks the envelope and its signature under `key`, then parses the payload: BAD_MANIFEST for a
// malformed envelope or payload, BAD_SIGNATURE for a signature that does not verify.
Result<nlohmann::json> open_manifest(const std::string& envelope_text, const EcdsaKey& key);

}  // namespace shelfwise::publishing
