// Loading item factors: sizes per dtype, and every malformed "mf" manifest field or tensor is
// refused with a code naming it before anything scores with it.
#include <catch2/catch.hpp>

#include "bundle_edit.hpp"
#include "core/factor_fixture.hpp"
#include "shelfwise/item_factors.hpp"

namespace shelfwise {
namespace {

using testing::BundleEdit;

// `bytes` with `change` applied to its manifest and tensors.
std::vector<std::uint8_t> edited(const std::vector<std::uint8_t>& bytes, const std::function<void(BundleEdit&)>& change) {
  BundleEdit edit(bytes);
  change(edit);
  return edit.serialize();
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
  struct Case {
    const char* what;
    std::function<void(BundleEdit&)> edit;
    ErrorCode code;
    const char* mentions;
  };
  const Case cases[] = {
      {"factors not a multiple of 8", [](BundleEdit& e) { e.manifest["mf"]["factors"] = 12; }, ErrorCode::bad_manifest, "mf.factors"},
      {"unknown dtype", [](BundleEdit& e) { e.manifest["mf"]["dtype"] = "int4"; }, ErrorCode::bad_manifest, "mf.dtype"},
      {"zero regularisation", [](BundleEdit& e) { e.manifest["mf"]["regularisation"] = 0; }, ErrorCode::bad_manifest, "mf.regularisation"},
      {"negative event weight", [](BundleEdit& e) { e.manifest["mf"]["event_weights"]["cart"] = -1; }, ErrorCode::bad_manifest, "mf.event_weights.cart"},
      {"mf is not an object", [](BundleEdit& e) { e.manifest["mf"] = 3; }, ErrorCode::bad_manifest, "'mf'"},
      {"kind mf without factors", [](BundleEdit& e) { e.manifest.erase("mf"); e.remove("mf.gram"); e.remove("mf.item_factors"); }, ErrorCode::bad_manifest, "mf"},
      {"gram missing", [](BundleEdit& e) { e.remove("mf.gram"); }, ErrorCode::bad_tensor, "mf.gram"},
      {"factors of the wrong shape", [](BundleEdit& e) {
         e.tensor("mf.item_factors").bytes.resize(29 * 16 * 4);
         e.tensor("mf.item_factors").shape = {29, 16};
       }, ErrorCode::shape_mismatch, "mf.item_factors"},
      {"asymmetric gram", [](BundleEdit& e) {
         float value = 123.0f;
         std::memcpy(e.tensor("mf.gram").bytes.data() + 4, &value, 4);
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
  const Status negative_scale = load_status(edited(int8, [](BundleEdit& e) {
    float value = -1.0f;
    std::memcpy(e.tensor("mf.item_scales").bytes.data(), &value, 4);
  }));
  CHECK(negative_scale.code() == ErrorCode::bad_tensor);
  options.dtype = FactorDType::pq;
  const std::vector<std::uint8_t> pq = testing::factor_bundle(options);
  const Status bad_subspaces = load_status(edited(pq, [](BundleEdit& e) { e.manifest["mf"]["pq_subspaces"] = 3; }));
  CHECK(bad_subspaces.code() == ErrorCode::bad_manifest);
  CHECK_THAT(bad_subspaces.message(), Catch::Contains("mf.pq_subspaces"));
}

}  // namespace
}  // namespace shelfwise
