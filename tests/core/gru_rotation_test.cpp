// The rotated int8 scoring copy (gru_quantisation.hpp, format v5): the scorer's prefix pass and
// bounds keep exactly the top-k of the float scores, and a damaged rotation is refused by name.
#include <catch2/catch.hpp>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "bundle_edit.hpp"
#include "gru_fixture.hpp"
#include "shelfwise/gru_kernels.hpp"
#include "shelfwise/gru_scorer.hpp"
#include "training/gru_code_rotation.hpp"

namespace {

using shelfwise::GruNetwork;
using shelfwise::GruScorer;
using shelfwise::Recommendation;
using shelfwise::testing::BundleEdit;

// Embeddings whose energy sits in a few directions that are not the axes, as trained ones do:
// every item's embedding times diag(0.6^k) times a random orthonormal matrix.
void concentrate(shelfwise::training::GruParameters& parameters) {
  const Eigen::Index d = parameters.item_embeddings.cols();
  Eigen::MatrixXf mix = Eigen::MatrixXf::Random(d, d);
  const Eigen::MatrixXf orthonormal = Eigen::HouseholderQR<Eigen::MatrixXf>(mix).householderQ();
  Eigen::VectorXf decay(d);
  for (Eigen::Index k = 0; k < d; ++k) decay[k] = 2.0f * std::pow(0.6f, static_cast<float>(k));
  parameters.item_embeddings = (parameters.item_embeddings * decay.asDiagonal() * orthonormal).eval();
}

// The best k after a session of only `item` by scoring every item in float: (score desc, index).
std::vector<Recommendation> brute_force_related(const GruNetwork& network, std::uint32_t item, std::size_t k,
                                                const std::vector<std::uint16_t>& stamps, std::uint16_t stamp) {
  std::vector<float> hidden(network.hidden_size(), 0.0f), scratch(network.step_scratch_size());
  network.step(item, hidden.data(), scratch.data());
  std::vector<float> scores(network.item_count());
  network.score_items(hidden.data(), scores.data());
  std::vector<std::uint32_t> order;
  for (std::uint32_t other = 0; other < network.item_count(); ++other) {
    if (other != item && stamps[other] != stamp) order.push_back(other);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t left, std::uint32_t right) {
    return scores[left] != scores[right] ? scores[left] > scores[right] : left < right;
  });
  std::vector<Recommendation> best;
  for (std::size_t rank = 0; rank < std::min(k, order.size()); ++rank) best.push_back({order[rank], scores[order[rank]], shelfwise::Source::next, 0});
  return best;
}

shelfwise::Result<std::shared_ptr<const shelfwise::Model>> load(const std::vector<std::uint8_t>& bytes) {
  return shelfwise::Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
}

// A v6 copy's item rows put back into blocks of every code: the layout of a v5 rotated copy.
void rows_to_blocks(shelfwise::GruQuantisedEmbeddings* copy, std::size_t d, std::size_t n) {
  namespace gk = shelfwise::gru_kernels;
  const std::size_t width = gk::padded_dimensions(d);
  std::vector<std::int8_t> blocks(gk::code_bytes(n, d), 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < width; ++j) blocks[gk::code_offset(i, j, d)] = copy->code_rows[i * width + j];
  }
  copy->codes = std::move(blocks);
  copy->code_rows.clear();
}

// The fixture's bundle with a rotated copy even where the trainer would not ship one; with
// `v5_layout`, every code in the blocks as format v5 stored them.
std::vector<std::uint8_t> with_rotated_copy(const shelfwise::testing::GruFixture& fixture, bool v5_layout = false) {
  const GruNetwork& network = *fixture.model->gru();
  const std::size_t d = network.hidden_size();
  const std::size_t n = network.item_count();
  std::vector<float> by_dimension(d * n);
  for (std::size_t j = 0; j < d; ++j) {
    for (std::uint32_t i = 0; i < n; ++i) by_dimension[j * n + i] = network.embedding(i, j);
  }
  auto copy = shelfwise::training::rotated_scoring_copy(by_dimension.data(), network.item_bias(), d, n,
                                                        shelfwise::training::one_event_states(fixture.parameters));
  if (v5_layout && !copy.code_rows.empty()) rows_to_blocks(&copy, d, n);
  BundleEdit edit(fixture.model->bundle());
  edit.put("gru.item_codes", shelfwise::DType::i8, copy.codes);
  edit.put("gru.item_code_scales", shelfwise::DType::f32, copy.scales);
  edit.put("gru.item_residual_norms", shelfwise::DType::f32, copy.residual_norms);
  edit.put("gru.item_magnitudes", shelfwise::DType::f32, copy.magnitudes);
  edit.put("gru.item_code_tails", shelfwise::DType::f32, copy.tails);
  edit.put("gru.code_prefix_dimensions", shelfwise::DType::u32, std::vector<std::uint32_t>{copy.prefix_dimensions});
  edit.put("gru.code_rotation", shelfwise::DType::f32, copy.rotation);
  edit.tensor("gru.code_rotation").shape = {d, d};
  edit.remove("gru.item_code_rows");
  if (!copy.code_rows.empty()) {
    edit.put("gru.item_code_rows", shelfwise::DType::i8, copy.code_rows);
    edit.tensor("gru.item_code_rows").shape = {n, copy.code_rows.size() / n};
  }
  return edit.serialize();
}

void check_exact_top_k(const shelfwise::Model& model) {
  const GruNetwork& network = *model.gru();
  REQUIRE(network.quantised().prefix_dimensions != 0);
  GruScorer scorer(network);
  std::vector<std::uint16_t> stamps(network.item_count(), 0);
  for (std::size_t item = 3; item < stamps.size(); item += 11) stamps[item] = 9;
  for (const std::uint16_t stamp : {std::uint16_t{1}, std::uint16_t{9}}) {  // nothing excluded, then every 11th item
    for (std::uint32_t item = 0; item < network.item_count(); item += 97) {
      for (const std::size_t k : {1, 7, 20, 150}) {
        std::vector<Recommendation> got;
        scorer.related(item, k, {stamps.data(), stamp}, &got);
        const auto expected = brute_force_related(network, item, k, stamps, stamp);
        INFO("item " << item << " k " << k << " stamp " << stamp);
        REQUIRE(got.size() == expected.size());
        for (std::size_t rank = 0; rank < got.size(); ++rank) {
          CHECK(got[rank].item == expected[rank].item);
          CHECK(std::memcmp(&got[rank].score, &expected[rank].score, sizeof(float)) == 0);
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("a rotated copy keeps exactly the float top-k", "[gru][quantisation][rotation]") {
  SECTION("embeddings with energy in every direction, rotated anyway") {
    const auto rotated = load(with_rotated_copy(shelfwise::testing::make_gru_fixture(1500, 20, 3)));
    REQUIRE(rotated.ok());
    check_exact_top_k(*rotated.value());
  }
  SECTION("embeddings with energy in a few directions: the trainer ships a short prefix") {
    const auto fixture = shelfwise::testing::make_gru_fixture(2000, 24, 4, concentrate);
    CHECK(fixture.model->gru()->quantised().prefix_dimensions != 0);
    CHECK(fixture.model->gru()->quantised().prefix_dimensions < 24);
    check_exact_top_k(*fixture.model);
  }
  SECTION("a format-v5 copy, every code in the blocks") {
    const auto fixture = shelfwise::testing::make_gru_fixture(2000, 24, 4, concentrate);
    const auto v5 = load(with_rotated_copy(fixture, true));
    REQUIRE(v5.ok());
    CHECK(v5.value()->bundle().format_version() == 5);
    CHECK(v5.value()->gru()->quantised().code_rows.empty());
    check_exact_top_k(*v5.value());
  }
  SECTION("fewer eligible items than asked") {
    const auto rotated = load(with_rotated_copy(shelfwise::testing::make_gru_fixture(40, 8, 5)));
    REQUIRE(rotated.ok());
    check_exact_top_k(*rotated.value());
  }
}

TEST_CASE("a rotated GRU bundle is format v6 (v5 with every code in the blocks), and without its copy it needs no more than v4",
          "[gru][quantisation][rotation]") {
  const auto rotated = load(with_rotated_copy(shelfwise::testing::make_gru_fixture(2000, 24, 4, concentrate)));
  REQUIRE(rotated.ok());
  REQUIRE_FALSE(rotated.value()->gru()->quantised().code_rows.empty());
  CHECK(rotated.value()->bundle().format_version() == 6);
  BundleEdit edit(rotated.value()->bundle());
  for (const char* copy : shelfwise::testing::kGruScoringCopyTensors) edit.remove(copy);
  const auto loaded = load(edit.serialize());
  REQUIRE(loaded.ok());
  CHECK(loaded.value()->bundle().format_version() < 5);
}

TEST_CASE("a damaged rotation, or a rotated copy's parts alone, are refused naming the tensor", "[gru][quantisation][rotation]") {
  const auto rotated = with_rotated_copy(shelfwise::testing::make_gru_fixture(50, 10, 7));
  REQUIRE(load(rotated).ok());
  const std::size_t d = 10;
  const BundleEdit source(rotated);
  auto refused = [&](const std::function<void(BundleEdit&)>& change, shelfwise::ErrorCode code, const std::string& text) {
    shelfwise::testing::require_refused(source, change, code, text);
  };
  auto set_float = [](BundleEdit& edit, const char* name, std::size_t index, float value) {
    std::memcpy(edit.tensor(name).bytes.data() + index * sizeof(float), &value, sizeof value);
  };
  auto set_prefix = [](BundleEdit& edit, std::uint32_t value) {
    std::memcpy(edit.tensor("gru.code_prefix_dimensions").bytes.data(), &value, sizeof value);
  };
  refused([&](BundleEdit& edit) { set_float(edit, "gru.code_rotation", d + 1, 1.01f); }, shelfwise::ErrorCode::bad_tensor,
          "'gru.code_rotation' is not orthonormal");
  refused([&](BundleEdit& edit) { set_float(edit, "gru.item_code_tails", 4, -0.5f); }, shelfwise::ErrorCode::bad_tensor,
          "gru.item_code_tails");
  refused([](BundleEdit& edit) { edit.remove("gru.code_rotation"); }, shelfwise::ErrorCode::bad_tensor, "gru.item_code_tails");
  refused([](BundleEdit& edit) { edit.remove("gru.code_prefix_dimensions"); }, shelfwise::ErrorCode::bad_tensor,
          "gru.code_prefix_dimensions");
  refused([](BundleEdit& edit) { edit.remove("gru.item_codes"); }, shelfwise::ErrorCode::bad_tensor, "gru.item_codes");
  for (const std::uint32_t prefix : {0U, 3U, 12U}) {
    refused([&](BundleEdit& edit) { set_prefix(edit, prefix); }, shelfwise::ErrorCode::bad_tensor, "gru.code_prefix_dimensions");
  }
  refused([](BundleEdit& edit) { edit.shorten("gru.item_code_tails", 1, sizeof(float)); }, shelfwise::ErrorCode::shape_mismatch,
          "gru.item_code_tails");
}

TEST_CASE("a v6 copy's item rows must match its blocks and prefix", "[gru][quantisation][rotation]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(2000, 24, 4, concentrate);
  const BundleEdit source(with_rotated_copy(fixture));
  const std::size_t prefix = fixture.model->gru()->quantised().prefix_dimensions;
  REQUIRE(source.has("gru.item_code_rows"));
  REQUIRE(prefix + 2 < 24);
  auto refused = [&](const std::function<void(BundleEdit&)>& change, shelfwise::ErrorCode code, const std::string& text) {
    shelfwise::testing::require_refused(source, change, code, text);
  };
  auto set_prefix = [](BundleEdit& edit, std::uint32_t value) {
    std::memcpy(edit.tensor("gru.code_prefix_dimensions").bytes.data(), &value, sizeof value);
  };
  // Without the rotation.
  refused(
      [](BundleEdit& edit) {
        for (const char* name : {"gru.code_rotation", "gru.item_code_tails", "gru.code_prefix_dimensions"}) edit.remove(name);
      },
      shelfwise::ErrorCode::bad_tensor, "'gru.item_code_rows' comes only with 'gru.code_rotation'");
  // Blocks of the prefix alone, read as blocks of every code; or as blocks of another prefix.
  refused([](BundleEdit& edit) { edit.remove("gru.item_code_rows"); }, shelfwise::ErrorCode::shape_mismatch, "gru.item_codes");
  refused([&](BundleEdit& edit) { set_prefix(edit, static_cast<std::uint32_t>(prefix + 2)); }, shelfwise::ErrorCode::shape_mismatch,
          "gru.item_codes");
  // Rows with a prefix of every dimension, which needs none; rows one item short.
  refused([&](BundleEdit& edit) { set_prefix(edit, 24); }, shelfwise::ErrorCode::bad_tensor, "gru.item_code_rows");
  refused([](BundleEdit& edit) { edit.shorten("gru.item_code_rows", 1, 24); }, shelfwise::ErrorCode::shape_mismatch,
          "gru.item_code_rows");
}
