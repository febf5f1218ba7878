// Per-item scratch that a request writes before it reads (a stamp or a touched list says which
// entries hold this request's values): allocated without filling. A model's load then does not
// touch these pages at all, and a request touches only the pages of the items it scores. Filling
// them would page-fault every page at load: on the small cloud VMs this runs on, about 3 ms per MB
// touched for the first time, and the recommender's four arrays are 560 KB for 43,000 items.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>

namespace shelfwise {

template <typename T>
class ScratchArray {
  static_assert(std::is_trivially_default_constructible_v<T>, "entries stay unwritten until a request writes them");

 public:
  ScratchArray() = default;
  explicit ScratchArray(std::size_t size) : data_(size == 0 ? nullptr : new T[size]), size_(size) {}

  T& operator[](std::size_t index) { return data_[index]; }
  const T& operator[](std::size_t index) const { return data_[index]; }
  std::size_t size() const { return size_; }

 private:
  std::unique_ptr<T[]> data_;
  std::size_t size_ = 0;
};

}  // namespace shelfwise
