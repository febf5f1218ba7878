// Item ids (SKU strings) <-> dense indices 0..count-1, from the bundle's "items" string table.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

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
  // The slot where `id` (of hash32 `hash`) is, or the empty slot where it would go.
  std::size_t probe(std::string_view id, std::uint32_t hash) const;
  // Adds ids [first, last) to the table: the first that is empty or already there, else `last`.
  std::size_t insert_ids(std::size_t first, std::size_t last);

  StringTable ids_;
  // Open addressing with linear probing over a table 70 % full (about two probes per known id;
  // half full cost a 43k-item model 256 KB more); a slot holds index + 1 and 8 bits of the id's
  // hash (0 = empty), and the key is the id in the bundle's bytes. Built at every load, so it must
  // be cheap: a node-based map cost 25-57 ms for 43k ids in wasm, this one a few.
  std::vector<std::uint32_t> slots_;
};

}  // namespace shelfwise
