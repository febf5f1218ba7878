// SHA-256 through OpenSSL's EVP API. Bundles are content-addressed by it and devices check it
// (WebCrypto's digest) before a downloaded bundle is used.
#pragma once

#include <cstddef>
#include <string>

namespace shelfwise::publishing {

// Lower-case hex, 64 characters.
std::string sha256_hex(const void* data, std::size_t size);

}  // namespace shelfwise::publishing
