// Segment assignment (nearest centroid, distances), standardisation, and the calibrated logistic.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "shelfwise/behaviour_model.hpp"



TEST_CASE("assign picks the nearest centroid and reports every distance") {
  const shelfwise::SegmentModel segments({0.0f, 0.0f, 3.0f, 4.0f, -1.0f, 0.0f}, 2);
  REQUIRE(segments.segment_count() == 3);
  float distances[3];
  const float near_second[] = {3.0f, 3.0f};
  CHECK(segments.assign(near_second, distances) == 1);
  CHECK(distances[0] == Approx(std::sqrt(18.0)));
  CHECK(distances[1] == Approx(1.0));
  CHECK(distances[2] == Approx(5.0));
  const float origin[] = {0.0f, 0.0f};
  CHECK(segments.assign(origin, distances) == 0);
  CHECK(distances[0] == 0.0f);
  // A tie goes to the lower id.
  const float halfway[] = {-0.5f, 0.0f};
  CHECK(segments.assign(halfway, nullptr) == 0);
  const shelfwise::SegmentModel copy = segments;  // owned centroids survive a copy
  CHECK(copy.assign(near_second, nullptr) == 1);
}

TEST_CASE("standardisation: (x - mean) * scale; unknown values and switched-off features give 0") {
  shelfwise::FeatureStandardiser standardiser{{1.0f, 10.0f, 5.0f}, {2.0f, 0.5f, 0.0f}};
  const float raw[] = {2.0f, NAN, 7.0f};
  float z[3];
  standardiser.apply(raw, z);
  CHECK(z[0] == 2.0f);
  CHECK(z[1] == 0.0f);
  CHECK(z[2] == 0.0f);
}

TEST_CASE("calibrated logistic: sigmoid of w.z + b, then a piecewise-linear monotone map") {
  const shelfwise::CalibratedLogistic model({2.0f, -1.0f, 0.5f}, {0.2f, 0.1f, 0.6f, 0.3f, 0.9f, 0.95f});
  const float z[] = {1.0f, 1.0f};
  const double raw = 1.0 / (1.0 + std::exp(-1.5));
  CHECK(model.raw_probability(z) == Approx(raw));
  CHECK(model.calibrate(0.0) == Approx(0.1));   // flat below the first knot
  CHECK(model.calibrate(0.4) == Approx(0.2));   // halfway between (0.2, 0.1) and (0.6, 0.3)
  CHECK(model.calibrate(0.75) == Approx(0.625));
  CHECK(model.calibrate(1.0) == Approx(0.95));  // flat above the last
  CHECK(model.probability(z) == Approx(0.3 + (0.95 - 0.3) * (raw - 0.6) / 0.3));
  const shelfwise::CalibratedLogistic identity({0.0f}, {});
  CHECK(identity.probability(nullptr) == Approx(0.5));
}
