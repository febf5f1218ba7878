// GRU bundles with f16 item embeddings (`shelfwise quantize --dtype f16` on a GRU bundle): the
// device widens halves exactly, so an f16 bundle must answer bit for bit like an f32 bundle
// holding the same (rounded) values, through every path (the int8 scan with float rescoring,
// the full scoring of the ranker's source, the hidden-state steps). And through the CLI.
#include <catch2/catch.hpp>
#include <algorithm>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "bundle_edit.hpp"
#include "gru_fixture.hpp"
#include "models/cli_runner.hpp"
#include "recommendation_checks.hpp"
#include "shelfwise/gru_scorer.hpp"
#include "shelfwise/recommender.hpp"
#include "test_support.hpp"
#include "training/gru_embedding_rewrite.hpp"

namespace {

using shelfwise::DType;
using shelfwise::Model;
using shelfwise::Recommendation;
using shelfwise::testing::require_same_recommendations;
using shelfwise::testing::cli::Run;

std::shared_ptr<const Model> load(const std::vector<std::uint8_t>& bytes) {
  auto loaded = Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
  REQUIRE(loaded.ok());
  return loaded.value();
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream stream(path, std::ios::binary);
  stream.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(stream.good());
}

const std::string& temp_dir() {
  static const shelfwise::testing::cli::TempDir dir("shelfwise-gru-quantize");
  REQUIRE_FALSE(dir.path().empty());
  return dir.path();
}

// The two GRU bundles' scoring copies (of the same 300-item model) give the same top 20 after
// each of a few items.
void require_same_related(const Model& left_model, const Model& right_model) {
  shelfwise::GruScorer left_scorer(*left_model.gru());
  shelfwise::GruScorer right_scorer(*right_model.gru());
  for (const std::uint32_t item : {0U, 123U, 299U}) {
    std::vector<Recommendation> left, right;
    left_scorer.related(item, 20, {}, &left);
    right_scorer.related(item, 20, {}, &right);
    require_same_recommendations(left, right);
  }
}

}  // namespace

TEST_CASE("an f16 GRU bundle answers exactly as an f32 bundle of the same rounded values", "[gru][quantisation]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(5000, 24, 9);
  const Model& original = *fixture.model;
  const auto half_bytes = shelfwise::training::rewrite_gru_embeddings(original.bundle(), *original.gru(), DType::f16, "v-f16");
  const auto half = load(half_bytes);
  REQUIRE(half->gru()->half_embeddings());
  // d x n floats became halves: the bundle shrinks by 2 bytes per value.
  CHECK(fixture.bytes.size() - half_bytes.size() >= 5000 * 24 * 2 - 64);
  const auto widened = load(shelfwise::training::rewrite_gru_embeddings(half->bundle(), *half->gru(), DType::f32, "v-f32"));
  REQUIRE_FALSE(widened->gru()->half_embeddings());
  for (std::uint32_t item = 0; item < 5000; item += 37) {
    for (std::size_t j = 0; j < 24; ++j) {
      const float value = original.gru()->embedding(item, j);
      CHECK(half->gru()->embedding(item, j) == widened->gru()->embedding(item, j));
      CHECK(std::fabs(half->gru()->embedding(item, j) - value) <= std::fabs(value) / 2048.0f + 6e-8f);
    }
  }

  shelfwise::Recommender from_half(half);
  shelfwise::Recommender from_widened(widened);
  std::vector<Recommendation> left;
  std::vector<Recommendation> right;
  for (const std::uint32_t start : {0U, 1234U, 4999U}) {
    shelfwise::SessionState session;
    for (std::uint32_t step = 0; step < 4; ++step) session.add({(start + step * 811) % 5000, shelfwise::EventType::view, 0.0});
    REQUIRE(from_half.recommend(session, 20, {}, &left).ok());
    REQUIRE(from_widened.recommend(session, 20, {}, &right).ok());
    require_same_recommendations(left, right);
    REQUIRE(from_half.related(start, 10, {}, &left).ok());
    REQUIRE(from_widened.related(start, 10, {}, &right).ok());
    require_same_recommendations(left, right);
    // The ranker's source scores every item in float.
    REQUIRE(from_half.score_session(session, &left).ok());
    REQUIRE(from_widened.score_session(session, &right).ok());
    require_same_recommendations(left, right);
  }
}

TEST_CASE("an f16 GRU bundle without its int8 copy is refused", "[gru][quantisation]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(50, 8, 4);
  const auto half = load(shelfwise::training::rewrite_gru_embeddings(fixture.model->bundle(), *fixture.model->gru(), DType::f16, "v"));
  shelfwise::testing::BundleEdit edit(half->bundle());
  for (const char* copy : shelfwise::testing::kGruScoringCopyTensors) edit.remove(copy);
  const auto bytes = edit.serialize();
  const auto loaded = Model::load(shelfwise::ByteBuffer::copy_of(bytes.data(), bytes.size()));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == shelfwise::ErrorCode::bad_tensor);
  CHECK(loaded.status().message().find("gru.item_codes") != std::string::npos);
}

TEST_CASE("shelfwise quantize stores a GRU's embeddings as f16 and back, and refuses int8", "[gru][quantisation][cli]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(400, 16, 2);
  const std::string in = temp_dir() + "/gru.swm";
  write_bytes(in, fixture.bytes);
  const std::string half = temp_dir() + "/gru-f16.swm";
  const Run quantised = shelfwise::testing::cli::run_cli("quantize --in '" + in + "' --out '" + half + "' --dtype f16", temp_dir());
  REQUIRE(quantised.exit_code == 0);
  CHECK(quantised.out.find("f16 GRU embeddings") != std::string::npos);
  const auto read = read_bytes(half);
  const auto model = load(read);
  CHECK(model->gru()->half_embeddings());
  CHECK(model->version() == fixture.model->version() + "-f16");
  CHECK(read.size() < fixture.bytes.size() - 400 * 16);

  const Run refused = shelfwise::testing::cli::run_cli("quantize --in '" + in + "' --out '" + temp_dir() + "/x.swm' --dtype int8", temp_dir());
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("f32 or f16") != std::string::npos);
}

TEST_CASE("shelfwise quantize --rotation chooses the GRU's scoring copy", "[gru][quantisation][rotation][cli]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(300, 12, 8);
  const std::string in = temp_dir() + "/gru-rotation.swm";
  write_bytes(in, fixture.bytes);
  auto quantize = [&](const std::string& rotation, const std::string& out) {
    return shelfwise::testing::cli::run_cli("quantize --in '" + in + "' --out '" + out + "' --dtype f32 --rotation " + rotation, temp_dir());
  };
  const std::string always = temp_dir() + "/gru-always.swm";
  const Run rotated = quantize("always", always);
  REQUIRE(rotated.exit_code == 0);
  CHECK(rotated.out.find("int8 copy rotated, prefix") != std::string::npos);
  const auto rotated_model = load(read_bytes(always));
  CHECK(rotated_model->bundle().format_version() == 5);
  CHECK(rotated_model->gru()->quantised().prefix_dimensions != 0);

  const std::string never = temp_dir() + "/gru-never.swm";
  const Run plain = quantize("never", never);
  REQUIRE(plain.exit_code == 0);
  CHECK(plain.out.find("plain int8 copy") != std::string::npos);
  const auto plain_model = load(read_bytes(never));
  CHECK(plain_model->bundle().format_version() < 5);
  CHECK(plain_model->gru()->quantised().prefix_dimensions == 0);

  require_same_related(*rotated_model, *plain_model);  // both rank exactly alike

  const Run refused = quantize("sometimes", temp_dir() + "/x.swm");
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("--rotation is auto, always or never") != std::string::npos);
}

TEST_CASE("shelfwise quantize --prefix sets the rotated copy's first pass", "[gru][quantisation][rotation][cli]") {
  const auto fixture = shelfwise::testing::make_gru_fixture(300, 12, 8);
  const std::string in = temp_dir() + "/gru-prefix.swm";
  write_bytes(in, fixture.bytes);
  auto quantize = [&](const std::string& options, const std::string& out) {
    return shelfwise::testing::cli::run_cli("quantize --in '" + in + "' --out '" + out + "' --dtype f32 " + options, temp_dir());
  };
  const std::string short_prefix = temp_dir() + "/gru-prefix-4.swm";
  const Run rotated = quantize("--prefix 4", short_prefix);
  REQUIRE(rotated.exit_code == 0);
  CHECK(rotated.out.find("int8 copy rotated, prefix 4") != std::string::npos);
  const auto model = load(read_bytes(short_prefix));
  CHECK(model->bundle().format_version() == 6);  // item rows of codes, blocks of the prefix
  CHECK(model->gru()->quantised().code_rows.size() == 300 * 12);
  CHECK(model->gru()->quantised().codes.size() == 300 / 16 * 16 * 4 + 16 * 4);

  const std::string never = temp_dir() + "/gru-prefix-never.swm";
  REQUIRE(quantize("--rotation never", never).exit_code == 0);
  const auto plain = load(read_bytes(never));
  require_same_related(*model, *plain);

  for (const auto& [options, message] : {std::pair{"--prefix 3", "--prefix must be even"}, std::pair{"--prefix 14", "between 2 and 12"},
                                         std::pair{"--prefix 0", "between 2 and 12"},
                                         std::pair{"--prefix 4 --rotation never", "needs a rotated copy"}}) {
    const Run refused = quantize(options, temp_dir() + "/x.swm");
    INFO(options);
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find(message) != std::string::npos);
  }
}

TEST_CASE("the prefix is chosen for states after items drawn by popularity", "[gru][quantisation][rotation]") {
  using shelfwise::training::kPrefixSampleItems;
  using shelfwise::training::prefix_sample_items;
  const std::size_t n = 1000;
  std::vector<float> popularity(n, 1.0f);
  popularity[7] = 3.0f * static_cast<float>(n);  // three quarters of the events
  const auto drawn = prefix_sample_items(popularity.data(), n, n);
  REQUIRE(drawn.size() == kPrefixSampleItems);
  CHECK(std::count(drawn.begin(), drawn.end(), 7U) == static_cast<long>(kPrefixSampleItems * 3 / 4));
  CHECK(std::is_sorted(drawn.begin(), drawn.end()));
  CHECK(drawn.back() > n / 2);  // the rest spread over the other items

  // No popularity to go by (none stored, none positive, or not one per item): evenly spaced.
  const std::vector<float> zeros(n, 0.0f);
  for (const auto& [values, size] : {std::pair{static_cast<const float*>(nullptr), std::size_t{0}}, std::pair{zeros.data(), n},
                                     std::pair{static_cast<const float*>(popularity.data()), n - 1}}) {
    const auto even = prefix_sample_items(values, size, n);
    REQUIRE(even.size() == kPrefixSampleItems);
    for (std::size_t sample = 0; sample < even.size(); ++sample) CHECK(even[sample] == sample * n / kPrefixSampleItems);
  }
  CHECK(prefix_sample_items(popularity.data(), 5, 5).size() == 5);
}
