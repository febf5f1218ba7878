// Model::load: bundles from the real trainer, and model-level validation of hand-built bundles
// (the bundle itself is valid; only the model's own shapes and values are wrong).
#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/bundle_writer.hpp"
#include "shelfwise/model.hpp"
#include "shelfwise/string_table.hpp"
#include "test_support.hpp"
#include "training/model_bundle.hpp"
#include "training/popularity_trainer.hpp"

namespace {

using shelfwise::ByteBuffer;
using shelfwise::DType;
using shelfwise::ErrorCode;
using shelfwise::Model;
using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

const char* const kLog =
    "session_id,user_id,item_id,timestamp,event\n"
    "s1,u1,A,1000,view\n"
    "s1,u1,B,1010,view\n"
    "s1,u1,C,1020,cart\n"
    "s2,,B,2000,view\n"
    "s2,,C,2010,view\n"
    "s3,,D,3000,view\n"
    "s3,,B,3005,purchase\n";

shelfwise::Result<std::shared_ptr<const Model>> load(const Bytes& bytes) {
  return Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
}

struct Lists {
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> indices;
  std::vector<float> weights;
};

// A valid 4-item bundle written tensor by tensor, so each failure case changes one thing.
struct HandBuilt {
  json model = {{"kind", "itemknn"}, {"version", "hand-1"}};
  std::optional<json> inference;
  std::optional<std::uint64_t> item_count;  // default: ids.size()
  std::vector<std::string> ids{"A", "B", "C", "D"};
  std::vector<float> popularity{0.5f, 1.0f, 0.25f, 0.0f};
  std::vector<std::uint32_t> head{1, 0, 2, 3};
  Lists next{{0, 2, 3, 3, 3}, {1, 2, 2}, {1.0f, 0.5f, 0.75f}};
  Lists related{{0, 1, 2, 2, 2}, {1, 0}, {0.8f, 0.8f}};
  bool catalog = false;
  std::vector<std::uint32_t> category{0, 1, shelfwise::kNoCategory, 0};
  std::vector<std::string> categories{"shoes", "socks"};
  std::vector<float> price{9.99f, 2.5f, -1.0f, 20.0f};
  std::vector<std::uint8_t> available{1, 0, 1, 1};
  std::vector<std::string> titles{"Runner", "Wool sock", "", "Trail"};
  std::set<std::string> omit;  // tensor names left out
  std::function<void(shelfwise::BundleWriter&)> extra;

  Bytes build() const {
    json manifest = {{"model", model}};
    if (inference) manifest["inference"] = *inference;
    shelfwise::BundleWriter writer(item_count.value_or(ids.size()), manifest);
    auto vector = [&](const std::string& name, DType dtype, const auto& values) {
      if (omit.count(name) == 0) writer.add_vector(name, dtype, values);
    };
    auto strings = [&](const std::string& prefix, const std::vector<std::string>& values) {
      if (omit.count(prefix) == 0) shelfwise::add_string_table(writer, prefix, values);
    };
    strings("items", ids);
    vector("popularity", DType::f32, popularity);
    vector("popularity.head", DType::u32, head);
    for (const auto& [prefix, lists] : {std::pair<std::string, const Lists*>{"knn.next", &next}, {"knn.related", &related}}) {
      vector(prefix + ".offsets", DType::u32, lists->offsets);
      vector(prefix + ".indices", DType::u32, lists->indices);
      vector(prefix + ".weights", DType::f32, lists->weights);
    }
    if (catalog) {
      vector("catalog.category", DType::u32, category);
      strings("categories", categories);
      vector("catalog.price", DType::f32, price);
      vector("catalog.available", DType::u8, available);
      strings("catalog.titles", titles);
    }
    if (extra) extra(writer);
    return writer.serialize();
  }
};

void require_failure(const HandBuilt& fixture, ErrorCode code, const std::string& message_part) {
  auto result = load(fixture.build());
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == code);
  CHECK_THAT(result.status().message(), Catch::Contains(message_part));
}

}  // namespace

TEST_CASE("A hand-built bundle loads with its lists", "[model]") {
  // Guards the fixture: every failure case below differs from it in one thing.
  auto result = load(HandBuilt().build());
  REQUIRE(result.ok());
  const Model& model = *result.value();
  CHECK(model.kind() == shelfwise::ModelKind::item_knn);
  CHECK(model.version() == "hand-1");
  REQUIRE(model.next_neighbours() != nullptr);
  REQUIRE(model.related_neighbours() != nullptr);
  CHECK(model.next_neighbours()->row_count() == 4);
  CHECK(model.next_neighbours()->entry_count() == 3);
  const auto row = model.next_neighbours()->neighbours(0);
  REQUIRE(row.size() == 2);
  CHECK(row[0] == 1);
  CHECK(row[1] == 2);
  CHECK(model.next_neighbours()->weights(0)[1] == 0.5f);
  CHECK(model.next_neighbours()->neighbours(3).empty());
  CHECK(model.catalog() == nullptr);
}

TEST_CASE("A popularity bundle from the trainer loads as kind pop without neighbour lists", "[model]") {
  const auto model = shelfwise::testing::load_model(shelfwise::testing::train_bundle(kLog, "pop"));
  CHECK(model->kind() == shelfwise::ModelKind::popularity);
  CHECK(model->kind_name() == "pop");
  CHECK(model->version() == "pop-fixture");
  CHECK(model->item_count() == 4);
  CHECK(model->bundle().item_count() == 4);
  CHECK(model->next_neighbours() == nullptr);
  CHECK(model->related_neighbours() == nullptr);
  CHECK(model->catalog() == nullptr);
  CHECK(model->popularity().size() == 4);
}

TEST_CASE("An item-kNN bundle from the trainer loads with both neighbour tables", "[model]") {
  const auto model = shelfwise::testing::load_model(shelfwise::testing::train_bundle(kLog, "itemknn"));
  CHECK(model->kind() == shelfwise::ModelKind::item_knn);
  CHECK(model->kind_name() == "itemknn");
  CHECK(model->version() == "itemknn-fixture");
  REQUIRE(model->next_neighbours() != nullptr);
  REQUIRE(model->related_neighbours() != nullptr);
  CHECK(model->next_neighbours()->row_count() == 4);
  CHECK(model->related_neighbours()->row_count() == 4);
  // A (index 0) is followed by B and C in s1: its "next" row names them, B first (gap 1).
  const auto row = model->next_neighbours()->neighbours(0);
  REQUIRE(row.size() == 2);
  CHECK(model->items().id(row[0]) == "B");
  CHECK(model->items().id(row[1]) == "C");
}

TEST_CASE("The vocabulary maps ids to indices and back in order of first appearance", "[model][vocabulary]") {
  const auto model = shelfwise::testing::load_model(shelfwise::testing::train_bundle(kLog, "itemknn"));
  const auto& items = model->items();
  REQUIRE(items.size() == 4);
  const std::vector<std::string> expected{"A", "B", "C", "D"};
  for (std::uint32_t index = 0; index < items.size(); ++index) {
    CHECK(items.id(index) == expected[index]);
    const auto found = items.find(expected[index]);
    REQUIRE(found.has_value());
    CHECK(*found == index);
  }
  CHECK_FALSE(items.find("E").has_value());
  CHECK_FALSE(items.find("").has_value());
  CHECK_FALSE(items.find("a").has_value());
}

// The id table is open-addressed and sized at load: many ids mean long probe runs and wrap-around.
TEST_CASE("The vocabulary finds every one of 20,000 ids and no other", "[model][vocabulary]") {
  HandBuilt fixture;
  fixture.model = {{"kind", "pop"}, {"version", "many-1"}};
  fixture.ids.clear();
  for (int index = 0; index < 20000; ++index) fixture.ids.push_back("sku-" + std::to_string(index * 7));
  fixture.popularity.assign(fixture.ids.size(), 1.0f);
  fixture.omit = {"knn.next.offsets", "knn.next.indices", "knn.next.weights", "knn.related.offsets",
                  "knn.related.indices", "knn.related.weights"};
  auto result = load(fixture.build());
  REQUIRE(result.ok());
  const auto& items = result.value()->items();
  for (std::uint32_t index = 0; index < fixture.ids.size(); ++index) {
    const auto found = items.find(fixture.ids[index]);
    REQUIRE(found.has_value());
    REQUIRE(*found == index);
  }
  for (int index = 0; index < 20000; ++index) REQUIRE_FALSE(items.find("sku-" + std::to_string(index * 7 + 1)).has_value());
  CHECK_FALSE(items.find("sku-").has_value());
}

TEST_CASE("The popular head lists items by decreasing popularity, ties by index", "[model][popularity]") {
  const auto model = shelfwise::testing::load_model(shelfwise::testing::train_bundle(kLog, "pop"));
  const auto popularity = model->popularity();
  const auto head = model->popular_head();
  REQUIRE(head.size() == model->item_count());
  std::set<std::uint32_t> seen(head.begin(), head.end());
  CHECK(seen.size() == head.size());
  for (std::size_t rank = 1; rank < head.size(); ++rank) {
    const float before = popularity[head[rank - 1]];
    const float after = popularity[head[rank]];
    CHECK((before > after || (before == after && head[rank - 1] < head[rank])));
  }
  // B is viewed twice and purchased once, the latest events: the most popular item, scored 1.
  CHECK(model->items().id(head[0]) == "B");
  CHECK(popularity[head[0]] == 1.0f);
}

TEST_CASE("Inference settings default when the manifest has none and follow it when it has them", "[model][inference]") {
  SECTION("no inference object: the documented defaults") {
    auto result = load(HandBuilt().build());
    REQUIRE(result.ok());
    const auto& inference = result.value()->inference();
    CHECK(inference.recency_decay == 0.7);
    CHECK(inference.related_weight == 0.1);
    CHECK(inference.max_session_items == 20);
  }
  SECTION("every field overridden") {
    HandBuilt fixture;
    fixture.inference = json{{"recency_decay", 0.5}, {"related_weight", 0.3}, {"max_session_items", 5}};
    auto result = load(fixture.build());
    REQUIRE(result.ok());
    const auto& inference = result.value()->inference();
    CHECK(inference.recency_decay == 0.5);
    CHECK(inference.related_weight == 0.3);
    CHECK(inference.max_session_items == 5);
  }
  SECTION("one field overridden, the others default") {
    HandBuilt fixture;
    fixture.inference = json{{"related_weight", 2.0}};
    auto result = load(fixture.build());
    REQUIRE(result.ok());
    const auto& inference = result.value()->inference();
    CHECK(inference.recency_decay == 0.7);
    CHECK(inference.related_weight == 2.0);
    CHECK(inference.max_session_items == 20);
  }
  SECTION("the bounds themselves are accepted") {
    HandBuilt fixture;
    fixture.inference = json{{"recency_decay", 1.0}, {"related_weight", 0.0}, {"max_session_items", 1000}};
    auto result = load(fixture.build());
    REQUIRE(result.ok());
    CHECK(result.value()->inference().recency_decay == 1.0);
    CHECK(result.value()->inference().max_session_items == 1000);
  }
  SECTION("the trainer writes the configuration it was given") {
    const auto log = shelfwise::testing::parse_log(kLog);
    shelfwise::training::ModelBundleParts parts;
    parts.kind = "pop";
    parts.version = "tuned";
    parts.item_ids = log.item_ids;
    parts.popularity = shelfwise::training::train_popularity(log, log.item_ids.size(), {});
    parts.inference.recency_decay = 0.4;
    parts.inference.related_weight = 0.05;
    parts.inference.max_session_items = 7;
    auto result = load(shelfwise::training::build_model_bundle(parts));
    REQUIRE(result.ok());
    CHECK(result.value()->inference().recency_decay == 0.4);
    CHECK(result.value()->inference().related_weight == 0.05);
    CHECK(result.value()->inference().max_session_items == 7);
  }
}

TEST_CASE("Inference settings out of range fail with BAD_MANIFEST naming the field", "[model][inference]") {
  const std::vector<std::pair<json, std::string>> cases{
      {json{{"recency_decay", 0.0}}, "inference.recency_decay"},
      {json{{"recency_decay", -0.5}}, "inference.recency_decay"},
      {json{{"recency_decay", 1.01}}, "inference.recency_decay"},
      {json{{"recency_decay", "0.7"}}, "inference.recency_decay"},
      {json{{"related_weight", -0.1}}, "inference.related_weight"},
      {json{{"related_weight", 2e6}}, "inference.related_weight"},
      {json{{"max_session_items", 0}}, "inference.max_session_items"},
      {json{{"max_session_items", 1001}}, "inference.max_session_items"},
      {json(0.7), "'inference'"},
  };
  for (const auto& [inference, field] : cases) {
    HandBuilt fixture;
    fixture.inference = inference;
    INFO("inference " << inference.dump());
    require_failure(fixture, ErrorCode::bad_manifest, field);
  }
}

TEST_CASE("An unsupported model kind fails with UNSUPPORTED_MODEL", "[model]") {
  HandBuilt fixture;
  fixture.model["kind"] = "gru4rec";
  require_failure(fixture, ErrorCode::unsupported_model, "gru4rec");
}

TEST_CASE("A model without a version fails with BAD_MANIFEST", "[model]") {
  HandBuilt fixture;
  fixture.model.erase("version");
  require_failure(fixture, ErrorCode::bad_manifest, "model.version");
}

TEST_CASE("A bundle-level failure reaches Model::load unchanged", "[model]") {
  Bytes bytes = HandBuilt().build();
  bytes[0] = 'X';
  auto result = load(bytes);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::bad_magic);
}

TEST_CASE("Item ids that are duplicate, empty or miscounted are refused", "[model][vocabulary]") {
  SECTION("duplicate id") {
    HandBuilt fixture;
    fixture.ids = {"A", "B", "A", "D"};
    require_failure(fixture, ErrorCode::bad_tensor, "'A' appears twice");
  }
  SECTION("duplicate id far apart") {
    HandBuilt fixture;
    fixture.model = {{"kind", "pop"}, {"version", "dup-1"}};
    fixture.ids.clear();
    for (int index = 0; index < 5000; ++index) fixture.ids.push_back("id" + std::to_string(index));
    fixture.ids.back() = "id17";
    fixture.popularity.assign(fixture.ids.size(), 1.0f);
    fixture.omit = {"knn.next.offsets", "knn.next.indices", "knn.next.weights", "knn.related.offsets",
                    "knn.related.indices", "knn.related.weights"};
    require_failure(fixture, ErrorCode::bad_tensor, "'id17' appears twice");
  }
  SECTION("empty id") {
    HandBuilt fixture;
    fixture.ids = {"A", "B", "", "D"};
    require_failure(fixture, ErrorCode::bad_tensor, "item 2 has an empty id");
  }
  SECTION("fewer ids than items") {
    HandBuilt fixture;
    fixture.ids = {"A", "B", "C"};
    fixture.item_count = 4;
    require_failure(fixture, ErrorCode::shape_mismatch, "items.offsets");
  }
  SECTION("the items table is missing") {
    HandBuilt fixture;
    fixture.omit = {"items"};
    require_failure(fixture, ErrorCode::bad_tensor, "items.offsets");
  }
  SECTION("string offsets that do not end at the byte count") {
    HandBuilt fixture;
    fixture.omit = {"items"};
    fixture.extra = [](shelfwise::BundleWriter& writer) {
      writer.add_vector("items.offsets", DType::u32, std::vector<std::uint32_t>{0, 1, 2, 3, 4});
      writer.add_vector("items.bytes", DType::u8, std::vector<std::uint8_t>{'A', 'B', 'C', 'D', 'E'});
    };
    require_failure(fixture, ErrorCode::shape_mismatch, "items.offsets");
  }
  SECTION("string offsets that decrease") {
    HandBuilt fixture;
    fixture.omit = {"items"};
    fixture.extra = [](shelfwise::BundleWriter& writer) {
      writer.add_vector("items.offsets", DType::u32, std::vector<std::uint32_t>{0, 2, 1, 3, 4});
      writer.add_vector("items.bytes", DType::u8, std::vector<std::uint8_t>{'A', 'B', 'C', 'D'});
    };
    require_failure(fixture, ErrorCode::bad_tensor, "decreases");
  }
}

TEST_CASE("Neighbour lists with bad indices, offsets or weights are refused", "[model][neighbours]") {
  SECTION("index out of range in next") {
    HandBuilt fixture;
    fixture.next.indices = {1, 4, 2};
    require_failure(fixture, ErrorCode::bad_tensor, "knn.next.indices' entry 1");
  }
  SECTION("index out of range in related") {
    HandBuilt fixture;
    fixture.related.indices = {1, 0xFFFFFFFFU};
    require_failure(fixture, ErrorCode::bad_tensor, "knn.related.indices");
  }
  SECTION("offsets decreasing") {
    HandBuilt fixture;
    fixture.next.offsets = {0, 2, 1, 3, 3};
    require_failure(fixture, ErrorCode::bad_tensor, "decreases at row 2");
  }
  SECTION("offsets not starting at zero") {
    HandBuilt fixture;
    fixture.next.offsets = {1, 2, 3, 3, 3};
    require_failure(fixture, ErrorCode::bad_tensor, "knn.next.offsets");
  }
  SECTION("offsets not ending at the entry count") {
    HandBuilt fixture;
    fixture.next.offsets = {0, 2, 2, 2, 2};
    require_failure(fixture, ErrorCode::bad_tensor, "knn.next.offsets");
  }
  SECTION("offsets of the wrong length") {
    HandBuilt fixture;
    fixture.next.offsets = {0, 2, 3, 3};
    require_failure(fixture, ErrorCode::shape_mismatch, "item_count + 1");
  }
  SECTION("negative weight") {
    HandBuilt fixture;
    fixture.next.weights = {1.0f, -0.5f, 0.75f};
    require_failure(fixture, ErrorCode::bad_tensor, "knn.next.weights' entry 1 is negative");
  }
  SECTION("weights and indices of different lengths") {
    HandBuilt fixture;
    fixture.related.weights = {0.8f};
    require_failure(fixture, ErrorCode::shape_mismatch, "differ in length");
  }
  SECTION("an item-kNN model without its related lists") {
    HandBuilt fixture;
    fixture.omit = {"knn.related.offsets"};
    require_failure(fixture, ErrorCode::bad_tensor, "knn.related.offsets");
  }
  SECTION("weights stored as another dtype") {
    HandBuilt fixture;
    fixture.omit = {"knn.next.weights"};
    fixture.extra = [](shelfwise::BundleWriter& writer) {
      writer.add_vector("knn.next.weights", DType::u32, std::vector<std::uint32_t>{1, 1, 1});
    };
    require_failure(fixture, ErrorCode::bad_tensor, "knn.next.weights");
  }
}

TEST_CASE("A pop model needs no neighbour lists", "[model][neighbours]") {
  HandBuilt fixture;
  fixture.model["kind"] = "pop";
  fixture.omit = {"knn.next.offsets", "knn.next.indices", "knn.next.weights", "knn.related.offsets",
                  "knn.related.indices", "knn.related.weights"};
  auto result = load(fixture.build());
  REQUIRE(result.ok());
  CHECK(result.value()->kind() == shelfwise::ModelKind::popularity);
  CHECK(result.value()->next_neighbours() == nullptr);
}

TEST_CASE("Popularity that is negative, miscounted or missing is refused", "[model][popularity]") {
  SECTION("a negative score") {
    HandBuilt fixture;
    fixture.popularity = {0.5f, 1.0f, -0.25f, 0.0f};
    require_failure(fixture, ErrorCode::bad_tensor, "negative");
  }
  SECTION("one score too few") {
    HandBuilt fixture;
    fixture.popularity = {0.5f, 1.0f, 0.25f};
    require_failure(fixture, ErrorCode::shape_mismatch, "'popularity'");
  }
  SECTION("one score too many") {
    HandBuilt fixture;
    fixture.popularity = {0.5f, 1.0f, 0.25f, 0.0f, 0.1f};
    require_failure(fixture, ErrorCode::shape_mismatch, "'popularity'");
  }
  SECTION("missing") {
    HandBuilt fixture;
    fixture.omit = {"popularity"};
    require_failure(fixture, ErrorCode::bad_tensor, "'popularity' is missing");
  }
  SECTION("stored as integers") {
    HandBuilt fixture;
    fixture.omit = {"popularity"};
    fixture.extra = [](shelfwise::BundleWriter& writer) {
      writer.add_vector("popularity", DType::u32, std::vector<std::uint32_t>{1, 2, 3, 4});
    };
    require_failure(fixture, ErrorCode::bad_tensor, "'popularity'");
  }
  SECTION("a head naming a non-item") {
    HandBuilt fixture;
    fixture.head = {1, 0, 4};
    require_failure(fixture, ErrorCode::bad_tensor, "popularity.head");
  }
  SECTION("a head longer than the item list") {
    HandBuilt fixture;
    fixture.head = {1, 0, 2, 3, 1};
    require_failure(fixture, ErrorCode::shape_mismatch, "popularity.head");
  }
}

TEST_CASE("A catalogue is exposed when present and absent otherwise", "[model][catalog]") {
  SECTION("absent") {
    auto result = load(HandBuilt().build());
    REQUIRE(result.ok());
    CHECK(result.value()->catalog() == nullptr);
  }
  SECTION("present") {
    HandBuilt fixture;
    fixture.catalog = true;
    auto result = load(fixture.build());
    REQUIRE(result.ok());
    const shelfwise::Catalog* catalog = result.value()->catalog();
    REQUIRE(catalog != nullptr);
    CHECK(catalog->category_count() == 2);
    CHECK(catalog->category_index(0) == 0);
    CHECK(catalog->category_name(0) == "shoes");
    CHECK(catalog->category_name(1) == "socks");
    CHECK(catalog->category_index(2) == shelfwise::kNoCategory);
    CHECK(catalog->category_name(2).empty());
    CHECK(catalog->price(0) == 9.99f);
    CHECK(catalog->price(2) < 0.0f);
    CHECK(catalog->available(0));
    CHECK_FALSE(catalog->available(1));
    CHECK(catalog->title(1) == "Wool sock");
    CHECK(catalog->title(2).empty());
  }
  SECTION("built by the trainer from catalogue rows") {
    const auto log = shelfwise::testing::parse_log(kLog);
    shelfwise::training::ModelBundleParts parts;
    parts.kind = "pop";
    parts.version = "with-catalog";
    parts.item_ids = log.item_ids;
    parts.popularity = shelfwise::training::train_popularity(log, log.item_ids.size(), {});
    parts.catalog = {{"A", "toys", 5.0f, "Ball", true},
                     {"B", "books", -1.0f, "Novel, \"signed\"", false},
                     {"C", "toys", 7.5f, "Kite", true},
                     {"D", "", 1.0f, "Gift card", true}};
    auto result = load(shelfwise::training::build_model_bundle(parts));
    REQUIRE(result.ok());
    const shelfwise::Catalog* catalog = result.value()->catalog();
    REQUIRE(catalog != nullptr);
    CHECK(catalog->category_count() == 2);
    CHECK(catalog->category_name(0) == "toys");
    CHECK(catalog->category_name(1) == "books");
    CHECK(catalog->category_name(2) == "toys");
    CHECK(catalog->category_index(3) == shelfwise::kNoCategory);
    CHECK(catalog->price(1) == -1.0f);
    CHECK(catalog->price(2) == 7.5f);
    CHECK_FALSE(catalog->available(1));
    CHECK(catalog->title(1) == "Novel, \"signed\"");
  }
}

TEST_CASE("A catalogue with bad rows is refused", "[model][catalog]") {
  SECTION("category index out of range") {
    HandBuilt fixture;
    fixture.catalog = true;
    fixture.category = {0, 1, 2, 0};
    require_failure(fixture, ErrorCode::bad_tensor, "row 2 names category 2 of 2");
  }
  SECTION("available neither 0 nor 1") {
    HandBuilt fixture;
    fixture.catalog = true;
    fixture.available = {1, 2, 1, 1};
    require_failure(fixture, ErrorCode::bad_tensor, "'catalog.available' row 1 is not 0 or 1");
  }
  SECTION("one price too few") {
    HandBuilt fixture;
    fixture.catalog = true;
    fixture.price = {1.0f, 2.0f, 3.0f};
    require_failure(fixture, ErrorCode::shape_mismatch, "catalog.price");
  }
  SECTION("titles for another item count") {
    HandBuilt fixture;
    fixture.catalog = true;
    fixture.titles = {"a", "b", "c", "d", "e"};
    require_failure(fixture, ErrorCode::shape_mismatch, "catalog.titles");
  }
  SECTION("a category column without the rest of the catalogue") {
    HandBuilt fixture;
    fixture.catalog = true;
    fixture.omit = {"catalog.price"};
    require_failure(fixture, ErrorCode::bad_tensor, "catalog.price");
  }
}
