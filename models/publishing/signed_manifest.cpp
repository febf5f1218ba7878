#include "publishing/signed_manifest.hpp"

#include "publishing/base64url.hpp"
#include "publishing/ecdsa_signature.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise::publishing {

Result<std::string> seal_manifest(const nlohmann::json& payload, const EcdsaKey& key) {
  const std::string payload_text = dump_json(payload);
  auto signature = sign_p1363(key, payload_text.data(), payload_text.size());
  if (!signature.ok()) return signature.status();
  auto key_id = key.key_id();
  if (!key_id.ok()) return key_id.status();
  const nlohmann::json envelope = {{"format", kSignedManifestFormat},
                                   {"algorithm", kSignatureAlgorithm},
                                   {"key_id", key_id.value()},
                                   {"payload", payload_text},
                                   {"signature", base64url_encode(signature.value())}};
  return dump_json(envelope, 2) + "\n";
}

Result<nlohmann::json> open_manifest(const std::string& envelope_text, const EcdsaKey& key) {
  const nlohmann::json envelope = nlohmann::json::parse(envelope_text, nullptr, false);
  if (envelope.is_discarded() || !envelope.is_object()) return Status(ErrorCode::bad_manifest, "the signed manifest is not a JSON object");
  std::string format;
  std::string algorithm;
  std::string payload_text;
  std::string signature_text;
  SHELFWISE_RETURN_IF_ERROR(read_string(envelope, "format", "format", &format));
  SHELFWISE_RETURN_IF_ERROR(read_string(envelope, "algorithm", "algorithm", &algorithm));
  SHELFWISE_RETURN_IF_ERROR(read_string(envelope, "payload", "payload", &payload_text));
  SHELFWISE_RETURN_IF_ERROR(read_string(envelope, "signature", "signature", &signature_text));
  if (format != kSignedManifestFormat) return Status(ErrorCode::bad_manifest, "format is '" + format + "', expected " + kSignedManifestFormat);
  if (algorithm != kSignatureAlgorithm) return Status(ErrorCode::bad_signature, "signature algorithm '" + algorithm + "' is not ES256");
  const auto signature = base64url_decode(signature_text);
  if (!signature) return Status(ErrorCode::bad_signature, "signature is not base64url");
  SHELFWISE_RETURN_IF_ERROR(verify_p1363(key, payload_text.data(), payload_text.size(), *signature));
  nlohmann::json payload = nlohmann::json::parse(payload_text, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) return Status(ErrorCode::bad_manifest, "the signed payload is not a JSON object");
  return payload;
}

}  // namespace shelfwise::publishing
