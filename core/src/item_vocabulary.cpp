#include "shelfwise/item_vocabulary.hpp"

#include <algorithm>
#include <functional>
#include <string>

namespace shelfwise {
namespace {

// A slot holds index + 1 in its low 24 bits (0 = empty) and 8 bits of the id's hash above them,
// so a probe compares the bytes of an id only when those bits agree.
constexpr unsigned kIndexBits = 24;
constexpr std::uint32_t kIndexMask = (std::uint32_t{1} << kIndexBits) - 1;
static_assert(kMaxItemCount < kIndexMask, "item index + 1 must fit below the tag");

// 32 bits of std::hash on every build (size_t is 64 bits natively, 32 in wasm).
std::uint32_t hash32(std::string_view id) {
  const std::uint64_t hash = std::hash<std::string_view>{}(id);
  return static_cast<std::uint32_t>(hash ^ (hash >> 32));
}

std::uint32_t tag_of(std::uint32_t hash) { return (hash & 0xFFU) << kIndexBits; }

}  // namespace

Result<ItemVocabulary> ItemVocabulary::from_bundle(const Bundle& bundle) {
  auto ids = StringTable::from_bundle(bundle, "items", bundle.item_count());
  if (!ids.ok()) return ids.status();
  ItemVocabulary vocabulary;
  vocabulary.ids_ = ids.value();
  // 70 % full: not rounded up to a power of two, which left 100,000 ids in 1 MB rather than 570 KB.
  vocabulary.slots_.assign(std::max<std::size_t>(16, (vocabulary.ids_.size() * 10 + 6) / 7), 0);
  // In blocks of ids, each a call of its own: V8 runs a wasm function's first call as baseline
  // code and only later calls as optimised code, and this runs once per load.
  constexpr std::size_t kIdsPerBlock = 4096;
  const std::size_t count = vocabulary.ids_.size();
  for (std::size_t first = 0; first < count; first += kIdsPerBlock) {
    const std::size_t last = std::min(count, first + kIdsPerBlock);
    const std::size_t bad = vocabulary.insert_ids(first, last);
    if (bad == last) continue;
    const std::string_view id = vocabulary.ids_.at(bad);
    if (id.empty()) return Status(ErrorCode::bad_tensor, "item " + std::to_string(bad) + " has an empty id");
    return Status(ErrorCode::bad_tensor, "item id '" + std::string(id) + "' appears twice");
  }
  return vocabulary;
}

[[gnu::noinline]] std::size_t ItemVocabulary::insert_ids(std::size_t first, std::size_t last) {
  for (std::size_t index = first; index < last; ++index) {
    const std::string_view id = ids_.at(index);
    if (id.empty()) return index;
    const std::uint32_t hash = hash32(id);
    std::uint32_t& slot = slots_[probe(id, hash)];
    if (slot != 0) return index;
    slot = tag_of(hash) | static_cast<std::uint32_t>(index + 1);
  }
  return last;
}

std::size_t ItemVocabulary::probe(std::string_view id, std::uint32_t hash) const {
  const std::size_t capacity = slots_.size();
  // The hash scaled to the table (Lemire's multiply-shift): any size, no modulo.
  std::size_t slot = static_cast<std::size_t>((std::uint64_t{hash} * capacity) >> 32);
  const std::uint32_t tag = tag_of(hash);
  for (std::uint32_t entry = slots_[slot]; entry != 0; entry = slots_[slot]) {
    if ((entry & ~kIndexMask) == tag && ids_.at((entry & kIndexMask) - 1) == id) break;
    slot = slot + 1 == capacity ? 0 : slot + 1;
  }
  return slot;
}

std::optional<std::uint32_t> ItemVocabulary::find(std::string_view id) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint32_t entry = slots_[probe(id, hash32(id))];
  if (entry == 0) return std::nullopt;
  return (entry & kIndexMask) - 1;
}

}  // namespace shelfwise
