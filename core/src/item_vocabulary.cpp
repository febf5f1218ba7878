#include "shelfwise/item_vocabulary.hpp"

namespace shelfwise {

Result<ItemVocabulary> ItemVocabulary::from_bundle(const Bundle& bundle) {
  auto ids = StringTable::from_bundle(bundle, "items", bundle.item_count());
  if (!ids.ok()) return ids.status();
  ItemVocabulary vocabulary;
  vocabulary.ids_ = ids.value();
  vocabulary.index_.reserve(vocabulary.ids_.size());
  for (std::size_t index = 0; index < vocabulary.ids_.size(); ++index) {
    const std::string_view id = vocabulary.ids_.at(index);
    if (id.empty()) return Status(ErrorCode::bad_tensor, "item " + std::to_string(index) + " has an empty id");
    if (!vocabulary.index_.emplace(id, static_cast<std::uint32_t>(index)).second) {
      return Status(ErrorCode::bad_tensor, "item id '" + std::string(id) + "' appears twice");
    }
  }
  return vocabulary;
}

std::optional<std::uint32_t> ItemVocabulary::find(std::string_view id) const {
  const auto found = index_.find(id);
  if (found == index_.end()) return std::nullopt;
  return found->second;
}

}  // namespace shelfwise
