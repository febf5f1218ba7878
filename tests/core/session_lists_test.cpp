#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "shelfwise/order_checks.hpp"
#include "shelfwise/session_lists.hpp"

namespace {

using namespace shelfwise;

std::vector<std::uint32_t> read_all(const std::vector<std::uint8_t>& bytes, std::uint32_t begin, std::uint32_t end,
                                    std::uint32_t session_count) {
  std::vector<std::uint32_t> sessions;
  for (SessionListCursor cursor(bytes.data() + begin, bytes.data() + end, session_count); !cursor.done(); cursor.advance()) {
    sessions.push_back(cursor.session());
  }
  return sessions;
}

TEST_CASE("session lists: varint codes read back the lists they encode", "[session_lists]") {
  // Lists over the whole 32-bit range: empty ones, the newest and oldest session, gaps of one
  // and gaps that take five bytes.
  const std::uint32_t session_count = 0xFFFFFFF0U;
  const std::vector<std::vector<std::uint32_t>> lists = {
      {},
      {session_count - 1},
      {session_count - 1, session_count - 2, 0},
      {0},
      {},
      {0x80000000U, 0x7FFFFFFFU, 0x10000U, 0x3FFFU, 0x3FFEU, 127, 1},
      {session_count - 129, session_count - 129 - 129},
  };
  std::vector<std::uint32_t> offsets = {0};
  std::vector<std::uint32_t> sessions;
  for (const auto& list : lists) {
    sessions.insert(sessions.end(), list.begin(), list.end());
    offsets.push_back(static_cast<std::uint32_t>(sessions.size()));
  }
  const SessionListCodes codes =
      encode_session_lists({offsets.data(), offsets.size()}, {sessions.data(), sessions.size()}, session_count);
  REQUIRE(codes.offsets.size() == lists.size() + 1);
  CHECK(codes.offsets.front() == 0);
  CHECK(codes.offsets.back() == codes.bytes.size());
  for (std::size_t item = 0; item < lists.size(); ++item) {
    CHECK(read_all(codes.bytes, codes.offsets[item], codes.offsets[item + 1], session_count) == lists[item]);
  }
  CHECK(count_final_bytes({codes.bytes.data(), codes.bytes.size()}) == sessions.size());
  // The newest session and a gap of one take a byte each; age 128 and gap 129 take two.
  CHECK(codes.offsets[2] - codes.offsets[1] == 1);
  CHECK(codes.offsets[3] - codes.offsets[2] == 1 + 1 + 5);
  CHECK(codes.offsets[7] - codes.offsets[6] == 2 + 2);
}

TEST_CASE("session lists: a damaged code ends its list instead of reading beyond it", "[session_lists]") {
  const std::uint32_t session_count = 100;
  auto read = [&](const std::vector<std::uint8_t>& bytes) {
    return read_all(bytes, 0, static_cast<std::uint32_t>(bytes.size()), session_count);
  };
  CHECK(read({0, 0, 5}) == std::vector<std::uint32_t>{99, 98, 92});
  CHECK(read({100}).empty());                                  // an age past the oldest session
  CHECK(read({0x80 | 99, 0}) == std::vector<std::uint32_t>{0});  // an overlong age 99: the oldest
  CHECK(read({0, 98}) == std::vector<std::uint32_t>{99, 0});    // down to session 0 exactly
  CHECK(read({0, 99}) == std::vector<std::uint32_t>{99});       // a gap below session 0
  CHECK(read({0, 0x80}) == std::vector<std::uint32_t>{99});     // a code running past the list's end
  CHECK(read({0, 0x80, 0x80, 0x80, 0x80, 0x80, 0}) == std::vector<std::uint32_t>{99});  // over five bytes
  CHECK(read({0, 0x81, 0x80, 0x80, 0x80, 0x10}) == std::vector<std::uint32_t>{99});     // over 32 bits
  CHECK(read({}).empty());
}

TEST_CASE("session lists: final bytes are counted in blocks and in the tail", "[session_lists]") {
  for (const std::size_t size : {0U, 1U, 254U, 255U, 256U, 1000U, 4097U}) {
    std::vector<std::uint8_t> bytes(size);
    std::size_t expected = 0;
    for (std::size_t at = 0; at < size; ++at) {
      bytes[at] = static_cast<std::uint8_t>((at * 37U + 11U) % 256U);
      expected += bytes[at] < 0x80U ? 1 : 0;
    }
    CHECK(count_final_bytes({bytes.data(), bytes.size()}) == expected);
  }
  const std::vector<std::uint8_t> all_final(1000, 0x7F);  // every block at its 255 maximum
  CHECK(count_final_bytes({all_final.data(), all_final.size()}) == 1000);
}

}  // namespace
