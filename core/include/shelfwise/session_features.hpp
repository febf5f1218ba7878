// The features of a visit that the intent heads read (intent.hpp), computed the same way when the
// trainer builds its examples and when the device scores: one function, so they cannot drift.
//
//   0  log(1 + events)                       7  log(1 + mean seconds between events)
//   1  distinct items / events               8  log(1 + seconds before the latest event)
//   2  carts / events                        9  distinct categories / distinct items
//   3  the latest event is a cart           10  share of events in the latest item's category
//   4  the visit has a cart                 11  popularity of the latest item (0..1)
//   5  the latest item was seen before      12  log(1 + price of the latest item)
//   6  the events carry times (>= 2 with time > 0)
// Catalogue features (9, 10, 12) are 0 without a catalogue or for unknown prices/categories;
// time features (7, 8) are 0 without times. Events naming non-items are skipped.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/session_state.hpp"

namespace shelfwise {

class Model;

inline constexpr std::size_t kSessionFeatureCount = 13;
using SessionFeatures = std::array<float, kSessionFeatureCount>;

// Names for manifests and reports, in feature order.
extern const char* const kSessionFeatureNames[kSessionFeatureCount];

// Scratch sized once for the model (one stamp per item, one counter per category); computing
// allocates nothing. The model must outlive the extractor. Not thread-safe.
class SessionFeatureExtractor {
 public:
  explicit SessionFeatureExtractor(const Model& model);
  SessionFeatures compute(ArrayView<SessionEvent> events);

  // With a catalogue: kCategoryFeatureCount features per category (row c = category c) for
  // the "which category is the visit heading to" head: 0 the recency-weighted share of the
  // visit's events in c (weight 0.7^steps back, shares summing to 1), 1 whether the latest item
  // is in c, 2 log of c's share of the catalogue's popularity. Empty without a catalogue. The
  // view is valid until the next call.
  static constexpr std::size_t kCategoryFeatureCount = 3;
  ArrayView<float> category_features(ArrayView<SessionEvent> events);

 private:
  const Model* model_;
  std::uint32_t stamp_ = 0;
  std::vector<std::uint32_t> item_stamp_;
  std::vector<std::uint32_t> category_stamp_;
  std::vector<std::uint32_t> category_events_;
  std::vector<float> category_prior_;
  std::vector<float> category_features_;
};

}  // namespace shelfwise
