// Optional catalogue attributes shipped in a bundle, one row per item index. Present when the
// trainer was given a catalogue CSV; business rules and the demo's product cards read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "shelfwise/string_table.hpp"

namespace shelfwise {

inline constexpr std::uint32_t kNoCategory = 0xFFFFFFFFU;

// Tensors: "catalog.category" u32 [n] (kNoCategory or an index into "categories"),
// "categories" string table, "catalog.price" f32 [n] (negative = unknown),
// "catalog.available" u8 [n] (0 or 1), "catalog.titles" string table [n].
class Catalog {
 public:
  // nullopt (not an error) when the bundle has no catalogue.
  static Result<std::optional<Catalog>> from_bundle(const Bundle& bundle);

  std::uint32_t category_index(std::uint32_t item) const { return category_[item]; }
  std::string_view category_name(std::uint32_t item) const {
    return category_[item] == kNoCategory ? std::string_view() : categories_.at(category_[item]);
  }
  std::size_t category_count() const { return categories_.size(); }
  // Name of a category index (< category_count()).
  std::string_view category_label(std::uint32_t category) const { return categories_.at(category); }
  float price(std::uint32_t item) const { return price_[item]; }
  bool available(std::uint32_t item) const { return available_[item] != 0; }
  std::string_view title(std::uint32_t item) const { return titles_.at(item); }

 private:
  ArrayView<std::uint32_t> category_;
  StringTable categories_;
  ArrayView<float> price_;
  ArrayView<std::uint8_t> available_;
  StringTable titles_;
};

}  // namespace shelfwise
