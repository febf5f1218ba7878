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

// `[a-z0-9][a-z0-9._-]*`, at most 64 characters, and not "bundles".
Status check_channel_name(const std::string& channel);

}  // namespace shelfwise::publishing
