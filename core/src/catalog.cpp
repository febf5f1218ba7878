#include "shelfwise/catalog.hpp"

#include "shelfwise/order_checks.hpp"

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

// The first row naming a category outside the table or an availability other than 0 and 1.
Status first_bad_row(ArrayView<std::uint32_t> category, std::size_t category_count, ArrayView<std::uint8_t> available) {
  for (std::size_t item = 0; item < category.size(); ++item) {
    if (category[item] != kNoCategory && category[item] >= category_count) {
      return Status(ErrorCode::bad_tensor, "tensor 'catalog.category' row " + std::to_string(item) + " names category " +
                                               std::to_string(category[item]) + " of " + std::to_string(category_count));
    }
    if (available[item] > 1) {
      return Status(ErrorCode::bad_tensor, "tensor 'catalog.available' row " + std::to_string(item) + " is not 0 or 1");
    }
  }
  return Status(ErrorCode::internal, "the catalogue's columns failed a check that no row fails");
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
  // Whole columns first (order_checks.hpp: a loader's own body holds no loop over items); the row
  // to name is looked for only when one is wrong.
  const auto category_count = static_cast<std::uint32_t>(catalog.categories_.size());
  if (count_at_least(catalog.category_, category_count, kNoCategory) != 0 || largest_value(catalog.available_) > 1) {
    return first_bad_row(catalog.category_, category_count, catalog.available_);
  }
  return std::optional<Catalog>(catalog);
}

}  // namespace shelfwise
