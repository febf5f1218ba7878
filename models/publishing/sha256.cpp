#include "publishing/sha256.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <stdexcept>

namespace shelfwise::publishing {

std::string sha256_hex(const void* data, std::size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // One-shot EVP digest; it only fails on allocation failure, which the CLI cannot recover from.
  if (EVP_Digest(data, size, digest, &length, EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
  std::string hex(static_cast<std::size_t>(length) * 2, '0');
  for (unsigned int index = 0; index < length; ++index) {
    std::snprintf(&hex[index * 2], 3, "%02x", digest[index]);
  }
  return hex;
}

}  // namespace shelfwise::publishing
