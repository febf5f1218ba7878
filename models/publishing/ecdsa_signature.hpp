// ES256 signatures (ECDSA P-256 over SHA-256) in the IEEE P1363 form: r || s, 32 bytes each.
// That is what WebCrypto's verify() takes; OpenSSL makes and checks DER (an ASN.1 SEQUENCE of two
// INTEGERs), so both directions convert here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "publishing/ecdsa_key.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise::publishing {

inline constexpr std::size_t kP1363SignatureSize = 64;

// Needs a private key.
Result<std::vector<std::uint8_t>> sign_p1363(const EcdsaKey& key, const void* data, std::size_t size);

// OK, or BAD_SIGNATURE when the signature is malformed or does not match `data` under `key`.
Status verify_p1363(const EcdsaKey& key, const void* data, std::size_t size, const std::vector<std::uint8_t>& signature);

}  // namespace shelfwise::publishing
