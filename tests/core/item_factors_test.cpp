// Loading item factors: sizes per dtype, and every malformed "mf" manifest field or tensor is
// refused with a code naming it before anything scores with it.
#include <catch2/catch.hpp>

#include "core/factor_fixture.hpp"
#include "shelfwise/item_factors.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise {
namespace {

// Rebuilds `bytes` with `edit` applied to its manifest and tensors (name -> bytes).
std::vector<std::uint8_t> edited(const std::vector<std::uint8_t>& bytes,
                                 const std::function<void(nlohmann::json&, std::map<std::string, std::vector<std::uint8_t>>&,
                                                          std::map<std::string, std::vector<std::uint64_t>>&)>& edit) {
  auto bundle = read_bundle(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  REQUIRE(bundle.ok());
  nlohmann::json manifest = shelfwise::rewritable_manifest(*bundle.value());
  std::map<std::string, std::vector<std::uint8_t>> data;
  std::map<std::string, std::vector<std::uint64_t>> shapes;
  std::map<std::string, DType> dtypes;
  for (const TensorInfo& tensor : bundle.value()->tensors()) {
    const std::uint8_t* start = bundle.value()->bytes().data() + tensor.offset;
    data[tensor.name].assign(start, start + tensor.size);
    shapes[tensor.name] = tensor.shape;
    dtypes[tensor.name] = tensor.dtype;
  }
  edit(manifest, data, shapes);
  BundleWriter writer(bundle.value()->item_count(), manifest);
  for (const auto& [name, values] : data) writer.add_tensor(name, dtypes.count(name) ? dtypes[name] : DType::u8, shapes[name], values.data(), values.size());
  return writer.serialize();
}

Status load_status(const std::vector<std::uint8_t>& bytes) {
  auto model = Model::load(ByteBuffer::copy_of(bytes.data(), bytes.size()));
  return model.ok() ? Status::ok_status() : model.status();
}

TEST_CASE("item factors load in every dtype with their size", "[item-factors]") {
  testing::FactorBundleOptions options;
  options.items = 100;
  options.factors = 32;
  options.pq_subspaces = 8;
  const std::pair<FactorDType, std::uint64_t> expected[] = {
      {FactorDType::f32, 100 * 32 * 4}, {FactorDType::f16, 100 * 32 * 2}, {FactorDType::int8, 100 * 32 + 100 * 4},
      {FactorDType::pq, 100 * 8 + 256 * 32 * 4}};
  for (const auto& [dtype, bytes] : expected) {
    options.dtype = dtype;
    const auto model = testing::load_model(testing::factor_bundle(options));
    REQUIRE(model->kind() == ModelKind::mf);
    const ItemFactors* factors = model->item_factors();
    REQUIRE(factors != nullptr);
    CHECK(factors->dtype() == dtype);
    CHECK(factors->dim() == 32);
    CHECK(factors->factor_bytes() == bytes);
  }
}

TEST_CASE("malformed item factors are refused with a code naming the field", "[item-factors]") {
  testing::FactorBundleOptions options;
  options.items = 30;
  const std::vector<std::uint8_t> good = testing::factor_bundle(options);
  REQUIRE(load_status(good).ok());
  using Tensors = std::map<std::string, std::vector<std::uint8_t>>;
  using Shapes = std::map<std::string, std::vector<std::uint64_t>>;
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&, Tensors&, Shapes&)> edit;
    ErrorCode code;
    const char* mentions;
  };
  const Case cases[] = {
      {"factors not a multiple of 8", [](nlohmann::json& m, Tensors&, Shapes&) { m["mf"]["factors"] = 12; }, ErrorCode::bad_manifest, "mf.factors"},
      {"unknown dtype", [](nlohmann::json& m, Tensors&, Shapes&) { m["mf"]["dtype"] = "int4"; }, ErrorCode::bad_manifest, "mf.dtype"},
      {"zero regularisation", [](nlohmann::json& m, Tensors&, Shapes&) { m["mf"]["regularisation"] = 0; }, ErrorCode::bad_manifest, "mf.regularisation"},
      {"negative event weight", [](nlohmann::json& m, Tensors&, Shapes&) { m["mf"]["event_weights"]["cart"] = -1; }, ErrorCode::bad_manifest, "mf.event_weights.cart"},
      {"mf is not an object", [](nlohmann::json& m, Tensors&, Shapes&) { m["mf"] = 3; }, ErrorCode::bad_manifest, "'mf'"},
      {"kind mf without factors", [](nlohmann::json& m, Tensors& t, Shapes&) { m.erase("mf"); t.erase("mf.gram"); t.erase("mf.item_factors"); }, ErrorCode::bad_manifest, "mf"},
      {"gram missing", [](nlohmann::json&, Tensors& t, Shapes&) { t.erase("mf.gram"); }, ErrorCode::bad_tensor, "mf.gram"},
      {"factors of the wrong shape", [](nlohmann::json&, Tensors& t, Shapes& s) {
         t["mf.item_factors"].resize(29 * 16 * 4);
         s["mf.item_factors"] = {29, 16};
       }, ErrorCode::shape_mismatch, "mf.item_factors"},
      {"asymmetric gram", [](nlohmann::json&, Tensors& t, Shapes&) {
         float value = 123.0f;
         std::memcpy(t["mf.gram"].data() + 4, &value, 4);
       }, ErrorCode::bad_tensor, "symmetric"},
  };
  for (const Case& test : cases) {
    INFO(test.what);
    const Status status = load_status(edited(good, test.edit));
    CHECK(status.code() == test.code);
    CHECK_THAT(status.message(), Catch::Contains(test.mentions));
  }

  options.dtype = FactorDType::int8;
  const std::vector<std::uint8_t> int8 = testing::factor_bundle(options);
  const Status negative_scale = load_status(edited(int8, [](nlohmann::json&, Tensors& t, Shapes&) {
    float value = -1.0f;
    std::memcpy(t["mf.item_scales"].data(), &value, 4);
  }));
  CHECK(negative_scale.code() == ErrorCode::bad_tensor);
  options.dtype = FactorDType::pq;
  const std::vector<std::uint8_t> pq = testing::factor_bundle(options);
  const Status bad_subspaces = load_status(edited(pq, [](nlohmann::json& m, Tensors&, Shapes&) { m["mf"]["pq_subspaces"] = 3; }));
  CHECK(bad_subspaces.code() == ErrorCode::bad_manifest);
  CHECK_THAT(bad_subspaces.message(), Catch::Contains("mf.pq_subspaces"));
}

}  // namespace
}  // namespace shelfwise
