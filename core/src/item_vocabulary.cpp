#include "shelfwise/item_vocabulary.hpp"

#include <functional>

namespace shelfwise {

Result<ItemVocabulary> ItemVocabulary::from_bundle(const Bundle& bundle) {
  auto ids = StringTable::from_bundle(bundle, "items", bundle.item_count());
  if (!ids.ok()) return ids.status();
  ItemVocabulary vocabulary;
  vocabulary.ids_ = ids.value();
  std::size_t capacity = 16;
  while (capacity * 7 < vocabulary.ids_.size() * 10) capacity *= 2;
  vocabulary.slots_.assign(capacity, 0);
  vocabulary.mask_ = capacity - 1;
  for (std::size_t index = 0; index < vocabulary.ids_.size(); ++index) {
    const std::string_view id = vocabulary.ids_.at(index);
    if (id.empty()) return Status(ErrorCode::bad_tensor, "item " + std::to_string(index) + " has an empty id");
    std::uint32_t& slot = vocabulary.slots_[vocabulary.probe(id)];
    if (slot != 0) return Status(ErrorCode::bad_tensor, "item id '" + std::string(id) + "' appears twice");
    slot = static_cast<std::uint32_t>(index + 1);
  }
  return vocabulary;
}

std::size_t ItemVocabulary::probe(std::string_view id) const {
  std::size_t slot = std::hash<std::string_view>{}(id) & mask_;
  while (slots_[slot] != 0 && ids_.at(slots_[slot] - 1) != id) slot = (slot + 1) & mask_;
  return slot;
}

std::optional<std::uint32_t> ItemVocabulary::find(std::string_view id) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint32_t slot = slots_[probe(id)];
  if (slot == 0) return std::nullopt;
  return slot - 1;
}

}  // namespace shelfwise
