// The GRU's int8 scoring copy (gru_quantisation.hpp): shipped in the bundle by the trainer (rotated)
// and read in place, computed at load (unrotated) for a bundle without it, and refused when a
// stored part is mis-shaped, negative or missing.
#include <catch2/catch.hpp>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "bundle_edit.hpp"
#include "gru_fixture.hpp"
#include "recommendation_checks.hpp"
#include "shelfwise/gru_scorer.hpp"
#include "training/gru_code_rotation.hpp"

namespace {

using shelfwise::GruNetwork;

using shelfwise::testing::BundleEdit;

shelfwise::Result<std::shared_ptr<const shelfwise::Model>> load(const std::vector<std::uint8_t>& bytes) {
  return shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
}

}  // namespace

TEST_CASE("a gru bundle carries the int8 scoring copy, read in place", "[gru][quantisation]") {
  // 13 dimensions and 57 items: both the odd dimension and the last block are padded.
  const auto fixture = shelfwise::testing::make_gru_fixture(57, 13, 11);
  const GruNetwork& network = *fixture.model->gru();
  const auto& stored = network.quantised();
  const shelfwise::ByteBuffer& bundle_bytes = fixture.model->bundle().bytes();
  const auto* begin = reinterpret_cast<const std::int8_t*>(bundle_bytes.data());
  CHECK(stored.codes.data() >= begin);
  CHECK(stored.codes.data() + stored.codes.size() <= begin + bundle_bytes.size());

  std::vector<float> by_dimension(13 * 57);
  for (std::size_t j = 0; j < 13; ++j) {
    for (std::uint32_t i = 0; i < 57; ++i) by_dimension[j * 57 + i] = network.embedding(i, j);
  }
  // Rotated or not as the trainer's simulation of requests decides, for the network's own states.
  const auto expected = shelfwise::training::gru_scoring_copy(by_dimension.data(), network.item_bias(), 13, 57,
                                                               shelfwise::training::one_event_states(fixture.parameters));
  REQUIRE(stored.codes.size() == expected.codes.size());
  CHECK(std::memcmp(stored.codes.data(), expected.codes.data(), expected.codes.size()) == 0);
  for (std::size_t i = 0; i < 57; ++i) {
    CHECK(stored.scales[i] == expected.scales[i]);
    CHECK(stored.residual_norms[i] == expected.residual_norms[i]);
    CHECK(stored.magnitudes[i] == expected.magnitudes[i]);
    CHECK(stored.residual_norms[i] <= stored.max_residual_norm);
    CHECK(stored.magnitudes[i] <= stored.max_magnitude);
  }
  CHECK(stored.prefix_dimensions == expected.prefix_dimensions);
  REQUIRE(stored.tails.size() == expected.tails.size());
  for (std::size_t i = 0; i < expected.tails.size(); ++i) CHECK(stored.tails[i] == expected.tails[i]);
  REQUIRE(stored.rotation.size() == expected.rotation.size());
  for (std::size_t i = 0; i < expected.rotation.size(); ++i) CHECK(stored.rotation[i] == expected.rotation[i]);
}

TEST_CASE("a gru bundle published without the copy computes an unrotated one at load", "[gru][quantisation]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(70, 9, 5);
  BundleEdit edit(fixture.model->bundle());
  for (const char* copy : shelfwise::testing::kGruScoringCopyTensors) edit.remove(copy);
  const auto older = edit.serialize();
  REQUIRE(older.size() < fixture.bytes.size());
  const auto loaded = load(older);
  REQUIRE(loaded.ok());
  const GruNetwork& network = *loaded.value()->gru();
  const auto& computed = network.quantised();
  CHECK(computed.prefix_dimensions == 0);
  std::vector<float> by_dimension(9 * 70);
  for (std::size_t j = 0; j < 9; ++j) {
    for (std::uint32_t i = 0; i < 70; ++i) by_dimension[j * 70 + i] = network.embedding(i, j);
  }
  const auto expected = shelfwise::quantise_gru_embeddings(by_dimension.data(), 9, 70);
  REQUIRE(computed.codes.size() == expected.codes.size());
  CHECK(std::memcmp(computed.codes.data(), expected.codes.data(), expected.codes.size()) == 0);
  for (std::size_t i = 0; i < 70; ++i) {
    CHECK(computed.scales[i] == expected.scales[i]);
    CHECK(computed.residual_norms[i] == expected.residual_norms[i]);
    CHECK(computed.magnitudes[i] == expected.magnitudes[i]);
  }
  CHECK(computed.max_abs_bias == fixture.model->gru()->quantised().max_abs_bias);

  // The computed and the shipped copy rank alike (related() takes the int8 path).
  shelfwise::GruScorer from_stored(*fixture.model->gru());
  shelfwise::GruScorer from_computed(network);
  for (const std::uint32_t item : {0U, 17U, 69U}) {
    std::vector<shelfwise::Recommendation> stored_best;
    std::vector<shelfwise::Recommendation> computed_best;
    from_stored.related(item, 10, {}, &stored_best);
    from_computed.related(item, 10, {}, &computed_best);
    REQUIRE(stored_best.size() == 10);
    shelfwise::testing::require_same_recommendations(stored_best, computed_best);
  }
}

TEST_CASE("a stored copy that is mis-shaped, negative or incomplete is refused naming it", "[gru][quantisation]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(40, 6, 2);
  const BundleEdit source(fixture.model->bundle());
  auto refused = [&](const std::function<void(BundleEdit&)>& change, shelfwise::ErrorCode code, const std::string& name) {
    shelfwise::testing::require_refused(source, change, code, name);
  };
  refused([](BundleEdit& edit) { edit.shorten("gru.item_codes", 16, 1); }, shelfwise::ErrorCode::shape_mismatch, "gru.item_codes");
  refused(
      [](BundleEdit& edit) {
        const float negative = -1.0f;
        std::memcpy(edit.tensor("gru.item_magnitudes").bytes.data() + 4 * 7, &negative, sizeof negative);
      },
      shelfwise::ErrorCode::bad_tensor, "gru.item_magnitudes");
  refused([](BundleEdit& edit) { edit.shorten("gru.item_code_scales", 1, sizeof(float)); }, shelfwise::ErrorCode::shape_mismatch,
          "gru.item_code_scales");
  refused([](BundleEdit& edit) { edit.remove("gru.item_residual_norms"); }, shelfwise::ErrorCode::bad_tensor, "gru.item_residual_norms");
}

TEST_CASE("a gru wider than the int8 sums allow is refused", "[gru][quantisation]") {
  // 513 dimensions: 513 x 128 x 32767 overflows the kernels' int32 sums.
  const auto fixture = shelfwise::testing::make_gru_fixture(3, 512, 1);
  REQUIRE(fixture.model->gru()->hidden_size() == 512);
  BundleEdit edit(fixture.model->bundle());
  auto& embeddings = edit.tensor("gru.item_embeddings");
  embeddings.shape[0] = 513;
  embeddings.bytes.resize(embeddings.bytes.size() + 3 * sizeof(float), 0);
  const auto wider = edit.serialize();
  const auto loaded = load(wider);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == shelfwise::ErrorCode::shape_mismatch);
  CHECK(loaded.status().message().find("gru.item_embeddings") != std::string::npos);
}
