// ES256 signatures in the P1363 form WebCrypto verifies, and the signed manifest envelope.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "publishing/base64url.hpp"
#include "publishing/ecdsa_key.hpp"
#include "publishing/ecdsa_signature.hpp"
#include "publishing/signed_manifest.hpp"

namespace {

using namespace shelfwise;
using namespace shelfwise::publishing;

EcdsaKey new_key() {
  auto key = EcdsaKey::generate();
  REQUIRE(key.ok());
  return key.value();
}

EcdsaKey public_half(const EcdsaKey& key) {
  auto pem = key.public_pem();
  REQUIRE(pem.ok());
  auto public_key = EcdsaKey::from_public_pem(pem.value());
  REQUIRE(public_key.ok());
  return public_key.value();
}

// Replaces the payload string inside an envelope by re-serialising it with one change.
std::string with_payload(const std::string& envelope_text, const std::string& payload_text) {
  nlohmann::json envelope = nlohmann::json::parse(envelope_text);
  envelope["payload"] = payload_text;
  return envelope.dump(2);
}

}  // namespace

TEST_CASE("base64url round-trips every length and rejects padding and foreign characters", "[publishing]") {
  for (std::size_t length = 0; length < 70; ++length) {
    std::vector<std::uint8_t> bytes(length);
    for (std::size_t index = 0; index < length; ++index) bytes[index] = static_cast<std::uint8_t>(index * 37 + length);
    const std::string text = base64url_encode(bytes);
    CHECK(text.find_first_of("+/=") == std::string::npos);
    const auto decoded = base64url_decode(text);
    REQUIRE(decoded);
    CHECK(*decoded == bytes);
  }
  CHECK(base64url_encode({0xfb, 0xff}) == "-_8");
  CHECK_FALSE(base64url_decode("AA=="));
  CHECK_FALSE(base64url_decode("A+B/"));
  CHECK_FALSE(base64url_decode("A"));
  CHECK_FALSE(base64url_decode("AB"));  // non-zero leftover bits: not the canonical encoding of any byte
}

TEST_CASE("keys round-trip through PEM; the public PEM is SPKI", "[publishing]") {
  const EcdsaKey key = new_key();
  auto private_pem = key.private_pem();
  auto public_pem = key.public_pem();
  REQUIRE(private_pem.ok());
  REQUIRE(public_pem.ok());
  CHECK(private_pem.value().rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  CHECK(public_pem.value().rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  auto reloaded = EcdsaKey::from_private_pem(private_pem.value());
  REQUIRE(reloaded.ok());
  CHECK(reloaded.value().key_id().value() == key.key_id().value());
  CHECK(key.key_id().value().size() == 16);
  CHECK_FALSE(public_half(key).has_private_key());
  CHECK(EcdsaKey::from_private_pem(public_pem.value()).status().code() == ErrorCode::invalid_argument);
  CHECK(EcdsaKey::from_public_pem("not a key").status().code() == ErrorCode::invalid_argument);
  CHECK(new_key().key_id().value() != key.key_id().value());
}

TEST_CASE("sign and verify round-trip in the 64-byte r||s form", "[publishing]") {
  const EcdsaKey key = new_key();
  const EcdsaKey verifier = public_half(key);
  const std::string message = "the exact bytes";
  auto signature = sign_p1363(key, message.data(), message.size());
  REQUIRE(signature.ok());
  CHECK(signature.value().size() == kP1363SignatureSize);
  CHECK(verify_p1363(verifier, message.data(), message.size(), signature.value()).ok());

  const std::string other = "the exact byteS";
  CHECK(verify_p1363(verifier, other.data(), other.size(), signature.value()).code() == ErrorCode::bad_signature);
  std::vector<std::uint8_t> flipped = signature.value();
  flipped[40] ^= 0x01;
  CHECK(verify_p1363(verifier, message.data(), message.size(), flipped).code() == ErrorCode::bad_signature);
  std::vector<std::uint8_t> short_signature(signature.value().begin(), signature.value().end() - 1);
  CHECK(verify_p1363(verifier, message.data(), message.size(), short_signature).code() == ErrorCode::bad_signature);
  CHECK(verify_p1363(public_half(new_key()), message.data(), message.size(), signature.value()).code() == ErrorCode::bad_signature);
  CHECK(sign_p1363(verifier, message.data(), message.size()).status().code() == ErrorCode::invalid_argument);
}

TEST_CASE("a sealed manifest opens under the right key only, and any tampering fails", "[publishing]") {
  const EcdsaKey key = new_key();
  const EcdsaKey verifier = public_half(key);
  const nlohmann::json payload = {{"format", kChannelManifestFormat}, {"sequence", 3}, {"bundle", {{"sha256", "ab"}, {"size", 10}}}};
  auto sealed = seal_manifest(payload, key);
  REQUIRE(sealed.ok());
  const nlohmann::json envelope = nlohmann::json::parse(sealed.value());
  CHECK(envelope["format"] == kSignedManifestFormat);
  CHECK(envelope["algorithm"] == "ES256");
  CHECK(envelope["key_id"] == key.key_id().value());
  CHECK(base64url_decode(envelope["signature"].get<std::string>())->size() == 64);

  auto opened = open_manifest(sealed.value(), verifier);
  REQUIRE(opened.ok());
  CHECK(opened.value() == payload);

  // The payload is signed as bytes: even a change that parses to the same JSON fails.
  const std::string payload_text = envelope["payload"].get<std::string>();
  CHECK(open_manifest(with_payload(sealed.value(), payload_text + " "), verifier).status().code() == ErrorCode::bad_signature);
  std::string bigger = payload_text;
  bigger.replace(bigger.find("\"size\":10"), 9, "\"size\":11");
  CHECK(open_manifest(with_payload(sealed.value(), bigger), verifier).status().code() == ErrorCode::bad_signature);
  CHECK(open_manifest(sealed.value(), public_half(new_key())).status().code() == ErrorCode::bad_signature);

  nlohmann::json no_signature = envelope;
  no_signature.erase("signature");
  CHECK(open_manifest(no_signature.dump(), verifier).status().code() == ErrorCode::bad_manifest);
  nlohmann::json other_algorithm = envelope;
  other_algorithm["algorithm"] = "none";
  CHECK(open_manifest(other_algorithm.dump(), verifier).status().code() == ErrorCode::bad_signature);
  CHECK(open_manifest("{\"format\":", verifier).status().code() == ErrorCode::bad_manifest);
}
