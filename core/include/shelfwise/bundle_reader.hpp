// Parses and validates a bundle held in a ByteBuffer. On success every tensor is known to lie
// inside the file, to be aligned, to match its dtype and shape, to pass its CRC and (for floats)
// to hold only finite values, so models built on top may read tensors without further checks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shelfwise/array_view.hpp"
#include "shelfwise/bundle_format.hpp"
#include "shelfwise/byte_buffer.hpp"
#include "shelfwise/json_value.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise {

struct TensorInfo {
  std::string name;
  DType dtype = DType::u8;
  std::vector<std::uint64_t> shape;
  std::uint64_t offset = 0;  // from the start of the file
  std::uint64_t size = 0;    // bytes
  std::uint32_t crc32 = 0;
  float largest_magnitude = 0.0f;  // of an f32 or f16 tensor's values (all finite); 0 for others
  std::uint64_t element_count() const;
};

// A validated bundle. Immutable; tensor views point into bytes() and live as long as the Bundle.
class Bundle {
 public:
  const JsonValue& manifest() const { return manifest_; }
  // The manifest's JSON text as stored in the file.
  std::string_view manifest_text() const;
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const ByteBuffer& bytes() const { return bytes_; }
  std::uint64_t item_count() const { return item_count_; }
  std::uint32_t format_version() const { return format_version_; }

  const TensorInfo* find(std::string_view name) const;

  // Typed view of a tensor; fails with BAD_TENSOR when it is absent or of another dtype.
  template <typename T>
  Result<ArrayView<T>> view(std::string_view name, DType expected) const;

 private:
  friend Result<std::shared_ptr<const Bundle>> read_bundle(ByteBuffer bytes);
  ByteBuffer bytes_;
  JsonValue manifest_;
  std::uint64_t manifest_size_ = 0;
  std::vector<TensorInfo> tensors_;
  std::uint64_t item_count_ = 0;
  std::uint32_t format_version_ = 0;
};

Result<std::shared_ptr<const Bundle>> read_bundle(ByteBuffer bytes);

template <typename T>
Result<ArrayView<T>> Bundle::view(std::string_view name, DType expected) const {
  const TensorInfo* info = find(name);
  if (info == nullptr) return Status(ErrorCode::bad_tensor, "tensor '" + std::string(name) + "' is missing");
  if (info->dtype != expected || dtype_size(expected) != sizeof(T)) {
    return Status(ErrorCode::bad_tensor, "tensor '" + std::string(name) + "' has dtype " +
                                             std::string(dtype_name(info->dtype)) + ", expected " +
                                             std::string(dtype_name(expected)));
  }
  return ArrayView<T>(reinterpret_cast<const T*>(bytes_.data() + info->offset),
                      static_cast<std::size_t>(info->element_count()));
}

}  // namespace shelfwise
