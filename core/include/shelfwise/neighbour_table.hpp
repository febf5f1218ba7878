// Per-item neighbour lists in compressed sparse rows, read in place: "<prefix>.offsets" (u32,
// n + 1), "<prefix>.indices" (u32, nnz, each < n) and "<prefix>.weights" (f32, nnz, finite,
// non-negative). Row i lists the neighbours of item i, strongest first.
#pragma once

#include <cstdint>
#include <string>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_reader.hpp"

namespace shelfwise {

class NeighbourTable {
 public:
  static Result<NeighbourTable> from_bundle(const Bundle& bundle, const std::string& prefix);

  std::size_t row_count() const { return offsets_.size() - 1; }
  std::size_t entry_count() const { return indices_.size(); }
  ArrayView<std::uint32_t> neighbours(std::uint32_t item) const {
    return {indices_.data() + offsets_[item], offsets_[item + 1] - offsets_[item]};
  }
  ArrayView<float> weights(std::uint32_t item) const {
    return {weights_.data() + offsets_[item], offsets_[item + 1] - offsets_[item]};
  }

 private:
  ArrayView<std::uint32_t> offsets_;
  ArrayView<std::uint32_t> indices_;
  ArrayView<float> weights_;
};

}  // namespace shelfwise
