// SlotMarks: per-request marks with a payload, and what happens when the stamp wraps.
#include "shelfwise/slot_marks.hpp"

#include <catch2/catch.hpp>

using shelfwise::SlotMarks;

TEST_CASE("slot marks: a request sees only its own marks, with their slots", "[slot-marks]") {
  SlotMarks<10> marks(8);
  marks.next_request();
  marks.mark(3, 7);
  marks.mark(5, SlotMarks<10>::kSlotMask);
  REQUIRE(marks.marked(3));
  REQUIRE(marks.slot(3) == 7);
  REQUIRE(marks.slot(5) == SlotMarks<10>::kSlotMask);
  REQUIRE_FALSE(marks.marked(4));
  marks.next_request();
  for (std::uint32_t item = 0; item < 8; ++item) REQUIRE_FALSE(marks.marked(item));
}

TEST_CASE("slot marks: after the stamp wraps, no old mark reads as current", "[slot-marks]") {
  // 22 payload bits leave 10 for the stamp: it wraps after 1023 requests.
  using Marks = SlotMarks<22>;
  REQUIRE(Marks::kStampLimit == 1024);
  Marks marks(4);
  marks.next_request();
  marks.mark(0, 1);  // stamp 1, never marked again
  for (std::uint32_t request = 2; request < Marks::kStampLimit; ++request) {
    marks.next_request();
    marks.mark(1, request);  // every stamp up to the last before the wrap
  }
  marks.next_request();  // wraps to stamp 1 again
  REQUIRE_FALSE(marks.marked(0));
  REQUIRE_FALSE(marks.marked(1));
  marks.mark(2, 9);
  REQUIRE(marks.marked(2));
  REQUIRE(marks.slot(2) == 9);
}
