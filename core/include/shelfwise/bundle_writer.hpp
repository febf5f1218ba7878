// Assembles a .swm bundle (layout in bundle_format.hpp). Used by the trainer and by tests that
// build fixture bundles; the device only reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shelfwise/bundle_format.hpp"

namespace shelfwise {

class BundleWriter {
 public:
  // `manifest` carries the model's own keys ("model", "hyperparameters", "inference", ...);
  // the writer adds "format", "format_version", "item_count" and "tensors".
  BundleWriter(std::uint64_t item_count, nlohmann::json manifest);

  void add_tensor(std::string name, DType dtype, std::vector<std::uint64_t> shape, const void* data,
                  std::size_t size_bytes);

  template <typename T>
  void add_vector(std::string name, DType dtype, const std::vector<T>& values) {
    add_tensor(std::move(name), dtype, {static_cast<std::uint64_t>(values.size())}, values.data(),
               values.size() * sizeof(T));
  }

  // The finished file.
  std::vector<std::uint8_t> serialize() const;

 private:
  struct PendingTensor {
    std::string name;
    DType dtype;
    std::vector<std::uint64_t> shape;
    std::vector<std::uint8_t> bytes;
  };
  std::uint64_t item_count_;
  nlohmann::json manifest_;
  std::vector<PendingTensor> tensors_;
};

}  // namespace shelfwise
