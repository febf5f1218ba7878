#include "shelfwise/catalog.hpp"

namespace shelfwise {
namespace {

template <typename T>
Status check_per_item(const Result<ArrayView<T>>& column, const char* name, std::uint64_t item_count) {
  if (!column.ok()) return column.status();
  if (column.value().size() != item_count) {
    return Status(ErrorCode::shape_mismatch, std::string("tensor '") + name + "' has " +
                                                 std::to_string(column.value().size()) + " rows, expected " +
                                                 std::to_string(item_count));
  }
  return Status::ok_status();
}

}  // namespace

Result<std::optional<Catalog>> Catalog::from_bundle(const Bundle& bundle) {
  if (bundle.find("catalog.category") == nullptr) return std::optional<Catalog>();
  const std::uint64_t item_count = bundle.item_count();
  Catalog catalog;
  const auto category = bundle.view<std::uint32_t>("catalog.category", DType::u32);
  SHELFWISE_RETURN_IF_ERROR(check_per_item(category, "catalog.category", item_count));
  const auto price = bundle.view<float>("catalog.price", DType::f32);
  SHELFWISE_RETURN_IF_ERROR(check_per_item(price, "catalog.price", item_count));
  const auto available = bundle.view<std::uint8_t>("catalog.available", DType::u8);
  SHELFWISE_RETURN_IF_ERROR(check_per_item(available, "catalog.available", item_count));
  auto categories = StringTable::from_bundle(bundle, "categories", 0);
  if (!categories.ok()) return categories.status();
  auto titles = StringTable::from_bundle(bundle, "catalog.titles", item_count);
  if (!titles.ok()) return titles.status();
  catalog.category_ = category.value();
  catalog.price_ = price.value();
  catalog.available_ = available.value();
  catalog.categories_ = categories.value();
  catalog.titles_ = titles.value();
  for (std::size_t item = 0; item < item_count; ++item) {
    const std::uint32_t index = catalog.category_[item];
    if (index != kNoCategory && index >= catalog.categories_.size()) {
      return Status(ErrorCode::bad_tensor, "tensor 'catalog.category' row " + std::to_string(item) +
                                               " names category " + std::to_string(index) + " of " +
                                               std::to_string(catalog.categories_.size()));
    }
    if (catalog.available_[item] > 1) {
      return Status(ErrorCode::bad_tensor, "tensor 'catalog.available' row " + std::to_string(item) + " is not 0 or 1");
    }
  }
  return std::optional<Catalog>(catalog);
}

}  // namespace shelfwise
