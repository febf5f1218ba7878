// An ECDSA P-256 key (a key pair, or a public key alone) held through OpenSSL's EVP API.
// Private keys are written as PKCS#8 PEM ("BEGIN PRIVATE KEY"); public keys as SPKI PEM
// ("BEGIN PUBLIC KEY"), the form WebCrypto's importKey('spki', ...) takes after base64 decoding.
// Keys of any other type or curve are refused when loaded, so a signature is always ES256.
#pragma once

#include <memory>
#include <string>

#include "shelfwise/status.hpp"

typedef struct evp_pkey_st EVP_PKEY;

namespace shelfwise::publishing {

class EcdsaKey {
 public:
  static Result<EcdsaKey> generate();
  static Result<EcdsaKey> from_private_pem(const std::string& pem);
  static Result<EcdsaKey> from_public_pem(const std::string& pem);

  bool has_private_key() const { return has_private_; }
  Result<std::string> private_pem() const;
  Result<std::string> public_pem() const;
  // The first 16 hex digits of the SHA-256 of the SPKI DER: names the key in manifests, so a
  // device can tell "signed by another key" from "tampered" in its error message.
  Result<std::string> key_id() const;

  EVP_PKEY* get() const { return key_.get(); }

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const;
  };
  std::shared_ptr<EVP_PKEY> key_;
  bool has_private_ = false;
};

}  // namespace shelfwise::publishing
