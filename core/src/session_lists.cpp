#include "shelfwise/session_lists.hpp"

namespace shelfwise {
namespace {

void append_code(std::uint32_t value, std::vector<std::uint8_t>* bytes) {
  while (value >= 0x80U) {
    bytes->push_back(static_cast<std::uint8_t>(value | 0x80U));
    value >>= 7;
  }
  bytes->push_back(static_cast<std::uint8_t>(value));
}

}  // namespace

SessionListCodes encode_session_lists(ArrayView<std::uint32_t> item_offsets, ArrayView<std::uint32_t> item_sessions,
                                      std::uint32_t session_count) {
  SessionListCodes codes;
  codes.offsets.reserve(item_offsets.size());
  codes.offsets.push_back(0);
  codes.bytes.reserve(item_sessions.size() * 2);
  for (std::size_t item = 0; item + 1 < item_offsets.size(); ++item) {
    for (std::uint32_t entry = item_offsets[item]; entry < item_offsets[item + 1]; ++entry) {
      const std::uint32_t session = item_sessions[entry];
      const bool first = entry == item_offsets[item];
      append_code(first ? session_count - 1 - session : item_sessions[entry - 1] - session - 1, &codes.bytes);
    }
    codes.offsets.push_back(static_cast<std::uint32_t>(codes.bytes.size()));
  }
  return codes;
}

}  // namespace shelfwise
