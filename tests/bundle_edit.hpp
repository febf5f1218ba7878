// A bundle taken apart into copies of its manifest and tensors that a test may change, then
// written again with valid checksums: how the tests make damaged bundles that only the model's
// own checks can refuse, and bundles as an older writer laid them out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/bundle_reader.hpp"

namespace shelfwise::testing {

struct EditableTensor {
  std::string name;
  DType dtype;
  std::vector<std::uint64_t> shape;
  std::vector<std::uint8_t> bytes;
};

class BundleEdit {
 public:
  explicit BundleEdit(const Bundle& source);
  explicit BundleEdit(const std::vector<std::uint8_t>& bundle_bytes);

  // The manifest's model keys ("model", "inference", ...), as the writer takes them.
  nlohmann::json manifest;

  // The tensor named so; the test fails when there is none.
  EditableTensor& tensor(const std::string& name);
  bool has(const std::string& name) const;
  void remove(const std::string& name);

  // Replaces the tensor named so (or adds it after the others) with `values` as one dimension.
  template <typename T>
  void put(const std::string& name, DType dtype, const std::vector<T>& values) {
    const auto* first = reinterpret_cast<const std::uint8_t*>(values.data());
    put_bytes(name, dtype, {values.size()}, std::vector<std::uint8_t>(first, first + values.size() * sizeof(T)));
  }

  std::vector<std::uint8_t> serialize() const;

 private:
  void put_bytes(const std::string& name, DType dtype, std::vector<std::uint64_t> shape, std::vector<std::uint8_t> bytes);

  std::uint64_t item_count_;
  std::vector<EditableTensor> tensors_;  // in the source's order, so layouts stay as written
};

}  // namespace shelfwise::testing
