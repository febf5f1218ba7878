#include "publishing/ecdsa_signature.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>

namespace shelfwise::publishing {
namespace {

constexpr int kScalarSize = 32;

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct SignatureFree {
  void operator()(ECDSA_SIG* signature) const { ECDSA_SIG_free(signature); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;
using EcdsaSignature = std::unique_ptr<ECDSA_SIG, SignatureFree>;

Result<std::vector<std::uint8_t>> der_to_p1363(const std::vector<unsigned char>& der) {
  const unsigned char* cursor = der.data();
  EcdsaSignature signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!signature) return Status(ErrorCode::internal, "OpenSSL produced an unreadable signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(signature.get(), &r, &s);
  std::vector<std::uint8_t> p1363(kP1363SignatureSize);
  if (BN_bn2binpad(r, p1363.data(), kScalarSize) != kScalarSize ||
      BN_bn2binpad(s, p1363.data() + kScalarSize, kScalarSize) != kScalarSize) {
    return Status(ErrorCode::internal, "signature scalar wider than 32 bytes");
  }
  return p1363;
}

std::vector<unsigned char> p1363_to_der(const std::vector<std::uint8_t>& p1363) {
  EcdsaSignature signature(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(p1363.data(), kScalarSize, nullptr);
  BIGNUM* s = BN_bin2bn(p1363.data() + kScalarSize, kScalarSize, nullptr);
  if (!signature || r == nullptr || s == nullptr || ECDSA_SIG_set0(signature.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return {};
  }
  const int size = i2d_ECDSA_SIG(signature.get(), nullptr);
  if (size <= 0) return {};
  std::vector<unsigned char> der(static_cast<std::size_t>(size));
  unsigned char* cursor = der.data();
  i2d_ECDSA_SIG(signature.get(), &cursor);
  return der;
}

}  // namespace

Result<std::vector<std::uint8_t>> sign_p1363(const EcdsaKey& key, const void* data, std::size_t size) {
  if (!key.has_private_key()) return Status(ErrorCode::invalid_argument, "signing needs the private key");
  DigestContext context(EVP_MD_CTX_new());
  std::size_t der_size = 0;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &der_size, static_cast<const unsigned char*>(data), size) != 1) {
    ERR_clear_error();
    return Status(ErrorCode::internal, "cannot start an ECDSA signature");
  }
  std::vector<unsigned char> der(der_size);
  if (EVP_DigestSign(context.get(), der.data(), &der_size, static_cast<const unsigned char*>(data), size) != 1) {
    ERR_clear_error();
    return Status(ErrorCode::internal, "ECDSA signing failed");
  }
  der.resize(der_size);
  return der_to_p1363(der);
}

Status verify_p1363(const EcdsaKey& key, const void* data, std::size_t size, const std::vector<std::uint8_t>& signature) {
  if (signature.size() != kP1363SignatureSize) {
    return Status(ErrorCode::bad_signature, "signature is " + std::to_string(signature.size()) + " bytes, expected 64 (r || s)");
  }
  const std::vector<unsigned char> der = p1363_to_der(signature);
  DigestContext context(EVP_MD_CTX_new());
  const bool valid = !der.empty() && context &&
                     EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
                     EVP_DigestVerify(context.get(), der.data(), der.size(), static_cast<const unsigned char*>(data), size) == 1;
  ERR_clear_error();
  if (!valid) return Status(ErrorCode::bad_signature, "the signature does not match the signed bytes under this public key");
  return Status::ok_status();
}

}  // namespace shelfwise::publishing
