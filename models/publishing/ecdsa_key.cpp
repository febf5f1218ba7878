#include "publishing/ecdsa_key.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <vector>

#include "publishing/sha256.hpp"

namespace shelfwise::publishing {
namespace {

// OpenSSL's error queue is per thread; drain it into the message so it never leaks into the next call.
std::string openssl_reason() {
  std::string reason;
  while (const unsigned long error = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(error, text, sizeof(text));
    if (!reason.empty()) reason += "; ";
    reason += text;
  }
  return reason.empty() ? "unknown OpenSSL error" : reason;
}

Status key_error(const std::string& what) { return Status(ErrorCode::invalid_argument, what + " (" + openssl_reason() + ")"); }

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPointer = std::unique_ptr<BIO, BioFree>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

Status check_p256(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return Status(ErrorCode::invalid_argument, "the key is not an EC key (ECDSA P-256 expected)");
  char group[64] = {0};
  std::size_t length = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof(group), &length) != 1) return key_error("cannot read the key's curve");
  const std::string name(group, length);
  if (name != "prime256v1" && name != "P-256") return Status(ErrorCode::invalid_argument, "the key is on curve " + name + ", expected P-256");
  return Status::ok_status();
}

}  // namespace

void EcdsaKey::Free::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

Result<EcdsaKey> EcdsaKey::generate() {
  EVP_PKEY_CTX* context = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* raw = nullptr;
  const bool made = context != nullptr && EVP_PKEY_keygen_init(context) == 1 &&
                    EVP_PKEY_CTX_set_group_name(context, "P-256") == 1 && EVP_PKEY_generate(context, &raw) == 1;
  EVP_PKEY_CTX_free(context);
  if (!made) return Status(ErrorCode::internal, "cannot generate a P-256 key (" + openssl_reason() + ")");
  EcdsaKey key;
  key.key_.reset(raw, Free());
  key.has_private_ = true;
  return key;
}

Result<EcdsaKey> EcdsaKey::from_private_pem(const std::string& pem) {
  BioPointer bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (raw == nullptr) return key_error("not a PEM private key");
  EcdsaKey key;
  key.key_.reset(raw, Free());
  key.has_private_ = true;
  SHELFWISE_RETURN_IF_ERROR(check_p256(raw));
  return key;
}

Result<EcdsaKey> EcdsaKey::from_public_pem(const std::string& pem) {
  BioPointer bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* raw = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (raw == nullptr) return key_error("not a PEM public key (SPKI, 'BEGIN PUBLIC KEY')");
  EcdsaKey key;
  key.key_.reset(raw, Free());
  SHELFWISE_RETURN_IF_ERROR(check_p256(raw));
  return key;
}

Result<std::string> EcdsaKey::private_pem() const {
  if (!has_private_) return Status(ErrorCode::invalid_argument, "this is a public key only");
  BioPointer bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Status(ErrorCode::internal, "cannot write the private key (" + openssl_reason() + ")");
  }
  return bio_text(bio.get());
}

Result<std::string> EcdsaKey::public_pem() const {
  BioPointer bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    return Status(ErrorCode::internal, "cannot write the public key (" + openssl_reason() + ")");
  }
  return bio_text(bio.get());
}

Result<std::string> EcdsaKey::key_id() const {
  const int size = i2d_PUBKEY(key_.get(), nullptr);
  if (size <= 0) return Status(ErrorCode::internal, "cannot encode the public key (" + openssl_reason() + ")");
  std::vector<unsigned char> der(static_cast<std::size_t>(size));
  unsigned char* cursor = der.data();
  if (i2d_PUBKEY(key_.get(), &cursor) != size) return Status(ErrorCode::internal, "cannot encode the public key");
  return sha256_hex(der.data(), der.size()).substr(0, 16);
}

}  // namespace shelfwise::publishing
