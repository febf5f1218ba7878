// SessionState: an append-only window of the latest events, bounded by max_events_retained.
#include <catch2/catch.hpp>

#include <cstdint>

#include "shelfwise/session_state.hpp"

namespace {

using shelfwise::EventType;
using shelfwise::SessionEvent;
using shelfwise::SessionState;

}  // namespace

TEST_CASE("A session keeps its events in the order they were added", "[session]") {
  SessionState session;
  CHECK(session.events().empty());
  CHECK(session.max_events_retained() == SessionState::kDefaultMaxEventsRetained);
  session.add({3, EventType::view, 10.0});
  session.add({1, EventType::cart, 20.0});
  session.add({3, EventType::purchase, 30.0});
  REQUIRE(session.events().size() == 3);
  CHECK(session.events()[0].item == 3);
  CHECK(session.events()[1].item == 1);
  CHECK(session.events()[1].type == EventType::cart);
  CHECK(session.events()[2].type == EventType::purchase);
  CHECK(session.events()[2].time == 30.0);
}

TEST_CASE("A full session drops its oldest events first", "[session]") {
  SessionState session(3);
  for (std::uint32_t item = 0; item < 7; ++item) {
    session.add({item, EventType::view, static_cast<double>(item)});
    CHECK(session.events().size() == std::min<std::size_t>(item + 1, 3));
  }
  REQUIRE(session.events().size() == 3);
  CHECK(session.events()[0].item == 4);
  CHECK(session.events()[1].item == 5);
  CHECK(session.events()[2].item == 6);
}

TEST_CASE("The default session retains 200 events", "[session]") {
  SessionState session;
  for (std::uint32_t item = 0; item < 250; ++item) session.add({item, EventType::view, 0.0});
  REQUIRE(session.events().size() == 200);
  CHECK(session.events().front().item == 50);
  CHECK(session.events().back().item == 249);
}

TEST_CASE("A retention of zero is raised to one event", "[session]") {
  SessionState session(0);
  CHECK(session.max_events_retained() == 1);
  session.add({1, EventType::view, 0.0});
  session.add({2, EventType::view, 0.0});
  REQUIRE(session.events().size() == 1);
  CHECK(session.events()[0].item == 2);
}

TEST_CASE("Clearing a session empties it but keeps its bound", "[session]") {
  SessionState session(2);
  session.add({1, EventType::view, 0.0});
  session.add({2, EventType::view, 0.0});
  session.clear();
  CHECK(session.events().empty());
  CHECK(session.max_events_retained() == 2);
  for (std::uint32_t item = 10; item < 13; ++item) session.add({item, EventType::view, 0.0});
  REQUIRE(session.events().size() == 2);
  CHECK(session.events()[0].item == 11);
}
