// libFuzzer target: what the publisher reads back of a channel (models/publishing/). Devices parse
// the manifest in JS (js/src/manifest_verifier.js, canaries.js); in C++ the publisher opens every
// manifest it writes (open_manifest: envelope, ES256 signature, payload), replays its canaries on
// the bundle (check_canaries) and reads the channel's history.json for every publish and for
// --rollback (parse_channel_history, next_sequence, find_publication). The first byte picks:
//   'E'  the rest is an envelope, verified under the harness's public key as it is;
//   'P'  the rest is a payload text, which the harness signs so the parse gets past the signature;
//   'H'  the rest is a history.json;
// any other byte picks by its value modulo 3 in that order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "publishing/base64url.hpp"
#include "publishing/canary_vectors.hpp"
#include "publishing/ecdsa_key.hpp"
#include "publishing/ecdsa_signature.hpp"
#include "publishing/publication_folder.hpp"
#include "publishing/signed_manifest.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/model.hpp"

namespace {

using namespace shelfwise;
using namespace shelfwise::publishing;

// A throwaway key made for this harness (and the seed envelope); it signs nothing real.
constexpr const char* kSigningKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWA0tpfv8AnYFlZrx\n"
    "llWsuVD4s9zOejZ06kNySayHBk2hRANCAAQWs9DfJZjEQi0EyX6RMQ074pDxQExe\n"
    "hgQIpg0Kun4eBq/60UzmbHVthOPCLQUVUZe32jeTCYmu1WnEapaT3Gm/\n"
    "-----END PRIVATE KEY-----\n";

struct Fixture {
  std::shared_ptr<const Model> model;
  EcdsaKey signer;
  EcdsaKey verifier;
};

Fixture& fixture() {
  static Fixture instance = [] {
    std::ifstream file(SHELFWISE_FUZZ_MODEL_PATH, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
    auto signer = EcdsaKey::from_private_pem(kSigningKeyPem);
    if (!model.ok() || !signer.ok()) std::abort();
    auto verifier = EcdsaKey::from_public_pem(signer.value().public_pem().value());
    if (!verifier.ok()) std::abort();
    return Fixture{model.value(), signer.value(), verifier.value()};
  }();
  return instance;
}

void open_and_replay(const std::string& envelope) {
  Fixture& state = fixture();
  auto payload = open_manifest(envelope, state.verifier);
  if (!payload.ok()) return;
  if (!payload.value().is_object()) __builtin_trap();  // open_manifest promises an object
  const auto canaries = payload.value().find("canaries");
  if (canaries != payload.value().end()) (void)check_canaries(*state.model, *canaries);
}

void sign_and_open(const std::string& payload_text) {
  Fixture& state = fixture();
  auto signature = sign_p1363(state.signer, payload_text.data(), payload_text.size());
  if (!signature.ok()) std::abort();
  const nlohmann::json envelope = {{"format", kSignedManifestFormat},
                                   {"algorithm", kSignatureAlgorithm},
                                   {"key_id", "873adee075361da5"},
                                   {"payload", payload_text},
                                   {"signature", base64url_encode(signature.value())}};
  open_and_replay(dump_json(envelope, 2));
}

void read_history(const std::string& text) {
  auto history = parse_channel_history(text, "fuzz/history.json");
  if (!history.ok()) return;
  auto next = next_sequence(history.value());
  if (next.ok()) {
    // The next publication outnumbers every recorded one, and devices can still read it.
    if (next.value() == 0 || next.value() > kMaxSequence) __builtin_trap();
    for (const auto& entry : history.value()["publications"]) {
      if (entry.is_object() && entry.contains("sequence") && entry["sequence"].is_number_unsigned() &&
          entry["sequence"].get<std::uint64_t>() >= next.value()) {
        __builtin_trap();
      }
    }
  }
  std::vector<std::string> wanted = {"", "seed-1", "0123abcd"};
  for (const auto& entry : history.value()["publications"]) {
    if (entry.is_object() && entry.contains("version") && entry["version"].is_string()) wanted.push_back(entry["version"].get<std::string>());
    if (wanted.size() > 8) break;
  }
  for (const std::string& version : wanted) {
    const nlohmann::json* found = find_publication(history.value(), version);
    if (found == nullptr) continue;
    // What rollback then reads without further checks: a version string and a bundle file name.
    if (!found->is_object() || !(*found)["version"].is_string() || !(*found)["sha256"].is_string()) __builtin_trap();
    const std::string& sha256 = (*found)["sha256"].get_ref<const std::string&>();
    if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int mode = data[0] == 'E' ? 0 : data[0] == 'P' ? 1 : data[0] == 'H' ? 2 : data[0] % 3;
  if (mode == 0) open_and_replay(text);
  if (mode == 1) sign_and_open(text);
  if (mode == 2) read_history(text);
  return 0;
}
