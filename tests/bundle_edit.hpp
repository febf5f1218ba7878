// A bundle taken apart into copies of its manifest and tensors that a test may change, then
// written again with valid checksums: how the tests make damaged bundles that only the model's
// own checks can refuse, and bundles as an older writer laid them out.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/bundle_reader.hpp"
#include "shelfwise/status.hpp"

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

  // Drops the last `elements` entries (of `element_bytes` each: values, or rows of a matrix) of a
  // tensor's first dimension.
  void shorten(const std::string& name, std::uint64_t elements, std::size_t element_bytes);

  std::vector<std::uint8_t> serialize() const;

 private:
  void put_bytes(const std::string& name, DType dtype, std::vector<std::uint64_t> shape, std::vector<std::uint8_t> bytes);

  std::uint64_t item_count_;
  std::vector<EditableTensor> tensors_;  // in the source's order, so layouts stay as written
};

// A copy of `source` changed by `change` is refused by Model::load with `code`, its message naming
// `text`.
void require_refused(const BundleEdit& source, const std::function<void(BundleEdit&)>& change, ErrorCode code,
                     const std::string& text);

}  // namespace shelfwise::testing
