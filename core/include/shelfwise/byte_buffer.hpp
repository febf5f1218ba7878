// Owned, 64-byte aligned bytes. A bundle is read in place from one of these, so tensors that the
// format aligns to 64 bytes in the file are 64-byte aligned in memory too (SIMD loads, Eigen::Map).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace shelfwise {

class ByteBuffer {
 public:
  static constexpr std::size_t kAlignment = 64;

  ByteBuffer() = default;
  // Uninitialised bytes; size() == 0 and data() == nullptr when allocation fails.
  explicit ByteBuffer(std::size_t size);
  static ByteBuffer copy_of(const void* data, std::size_t size);

  std::uint8_t* data() { return storage_.get(); }
  const std::uint8_t* data() const { return storage_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct AlignedFree {
    void operator()(std::uint8_t* pointer) const;
  };
  std::unique_ptr<std::uint8_t[], AlignedFree> storage_;
  std::size_t size_ = 0;
};

}  // namespace shelfwise
