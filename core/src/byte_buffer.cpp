#include "shelfwise/byte_buffer.hpp"

#include <cstdlib>
#include <cstring>

namespace shelfwise {

ByteBuffer::ByteBuffer(std::size_t size) {
  if (size == 0) return;
  // aligned_alloc wants a multiple of the alignment.
  const std::size_t rounded = (size + kAlignment - 1) / kAlignment * kAlignment;
  if (rounded < size) return;
  auto* raw = static_cast<std::uint8_t*>(std::aligned_alloc(kAlignment, rounded));
  if (raw == nullptr) return;
  storage_.reset(raw);
  size_ = size;
}

ByteBuffer ByteBuffer::copy_of(const void* data, std::size_t size) {
  ByteBuffer buffer(size);
  if (buffer.size() == size && size != 0) std::memcpy(buffer.data(), data, size);
  return buffer;
}

void ByteBuffer::AlignedFree::operator()(std::uint8_t* pointer) const { std::free(pointer); }

}  // namespace shelfwise
