// Base64url without padding (RFC 4648 section 5), the form signatures take in signed manifests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shelfwise::publishing {

std::string base64url_encode(const std::vector<std::uint8_t>& bytes);
// nullopt for characters outside the alphabet, padding, or an impossible length.
std::optional<std::vector<std::uint8_t>> base64url_decode(const std::string& text);

}  // namespace shelfwise::publishing
