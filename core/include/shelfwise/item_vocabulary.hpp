// Item ids (SKU strings) <-> dense indices 0..count-1, from the bundle's "items" string table.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "shelfwise/string_table.hpp"

namespace shelfwise {

class ItemVocabulary {
 public:
  // Fails on an empty or duplicate id: either would make lookups ambiguous.
  static Result<ItemVocabulary> from_bundle(const Bundle& bundle);

  std::size_t size() const { return ids_.size(); }
  std::string_view id(std::uint32_t index) const { return ids_.at(index); }
  std::optional<std::uint32_t> find(std::string_view id) const;

 private:
  StringTable ids_;
  // Keys view the bundle's bytes, which outlive the vocabulary inside a Model.
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

}  // namespace shelfwise
