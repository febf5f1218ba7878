// The publisher's output folder, which any static HTTP server or CDN can serve as it is:
//
//   bundles/<sha256>.swm          content-addressed, immutable: written once, never overwritten
//   <channel>/manifest.json       the signed manifest devices poll (publishing/signed_manifest.hpp)
//   <channel>/history.json        publisher bookkeeping (unsigned, not read by devices): every
//                                 publication to the channel, for rollback and audit
//
// Old bundles stay, so a rollback only writes a new manifest (with a higher sequence, so devices
// that refuse older manifests still take it) pointing at a bundle that is already there.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "publishing/ecdsa_key.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise::publishing {

// The oldest SDK that reads bundle format v1 and channel manifest format v1.
inline constexpr const char* kDefaultMinSdkVersion = "0.1.0";

struct PublishRequest {
  std::string bundle_path;
  std::string folder;
  std::string channel = "stable";
  std::string min_sdk_version = kDefaultMinSdkVersion;
  std::string created_at;  // UTC ISO 8601; the caller's clock (this library reads none)
};

struct Publication {
  std::string channel;
  std::uint64_t sequence = 0;
  std::string kind;
  std::string version;
  std::string sha256;
  std::uint64_t size = 0;
  std::string bundle_path;    // inside the folder
  std::string manifest_path;  // inside the folder
  bool bundle_was_present = false;  // the same bytes had been published before
};

// Validates the bundle as a device would, computes its canaries, stores it under bundles/ and
// points the channel at it with a freshly signed manifest. INVALID_ARGUMENT for a bad channel
// name or version text; the bundle's own code when it does not load; IO_ERROR for the folder.
Result<Publication> publish_bundle(const PublishRequest& request, const EcdsaKey& key);

// Points `channel` back at an earlier publication, named by its model version or by (a prefix of
// at least 8 hex digits of) its SHA-256. The bundle is re-checked against its hash first.
Result<Publication> rollback_channel(const std::string& folder, const std::string& channel, const std::string& version,
                                     const std::string& created_at, const EcdsaKey& key);

// The largest sequence number a publication may carry: devices read it as a JavaScript number and
// accept only safe integers (js/src/manifest_verifier.js), so beyond it a manifest would be refused.
inline constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << 53) - 1;
// At most this many bytes of history.json are read (about a million publications).
inline constexpr std::size_t kMaxHistoryBytes = std::size_t{256} << 20;

// The text of `<channel>/history.json` (`path` names it in messages): an object whose
// "publications" is an array. PARSE_ERROR otherwise; entries are checked where they are used.
Result<nlohmann::json> parse_channel_history(std::string_view text, const std::string& path);

// The sequence number of the next publication: one more than the largest well-formed one in the
// history (1 for none). LIMIT_EXCEEDED when it would pass kMaxSequence.
Result<std::uint64_t> next_sequence(const nlohmann::json& history);

// The latest well-formed entry (string "version" and "sha256") named by `version` (its model
// version, or at least 8 leading hex digits of its SHA-256); nullptr when there is none.
const nlohmann::json* find_publication(const nlohmann::json& history, const std::string& version);

// `[a-z0-9][a-z0-9._-]*`, at most 64 characters, and not "bundles".
Status check_channel_name(const std::string& channel);

}  // namespace shelfwise::publishing
