#include "shelfwise/bundle_writer.hpp"

#include <algorithm>
#include <cstring>

#include "shelfwise/crc32.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise {
namespace {

std::uint64_t align_up(std::uint64_t value) { return (value + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment; }

void store_u32(std::uint8_t* out, std::uint32_t value) {
  for (int byte = 0; byte < 4; ++byte) out[byte] = static_cast<std::uint8_t>(value >> (8 * byte));
}

void store_u64(std::uint8_t* out, std::uint64_t value) {
  store_u32(out, static_cast<std::uint32_t>(value));
  store_u32(out + 4, static_cast<std::uint32_t>(value >> 32));
}

}  // namespace

BundleWriter::BundleWriter(std::uint64_t item_count, nlohmann::json manifest)
    : item_count_(item_count), manifest_(std::move(manifest)) {}

void BundleWriter::add_tensor(std::string name, DType dtype, std::vector<std::uint64_t> shape, const void* data,
                              std::size_t size_bytes) {
  PendingTensor tensor{std::move(name), dtype, std::move(shape), {}};
  tensor.bytes.resize(size_bytes);
  if (size_bytes != 0) std::memcpy(tensor.bytes.data(), data, size_bytes);
  tensors_.push_back(std::move(tensor));
}

std::vector<std::uint8_t> BundleWriter::serialize() const {
  std::uint32_t format_version = kBundleBaseFormatVersion;
  for (const auto& tensor : tensors_) {
    format_version = std::max({format_version, dtype_format_version(tensor.dtype), tensor_format_version(tensor.name)});
  }
  nlohmann::json manifest = manifest_;
  manifest["format"] = "shelfwise-bundle";
  manifest["format_version"] = format_version;
  manifest["item_count"] = item_count_;

  // Tensor offsets are written into the manifest, whose length moves the offsets: iterate until
  // the aligned start of the tensor data stops moving (two rounds in practice).
  std::uint64_t data_start = align_up(kBundleHeaderSize + 1024);
  std::string manifest_text;
  for (int round = 0; round < 16; ++round) {
    nlohmann::json table = nlohmann::json::array();
    std::uint64_t offset = data_start;
    for (const auto& tensor : tensors_) {
      table.push_back({{"name", tensor.name},
                       {"dtype", dtype_name(tensor.dtype)},
                       {"shape", tensor.shape},
                       {"offset", offset},
                       {"size", tensor.bytes.size()},
                       {"crc32", crc32(tensor.bytes.data(), tensor.bytes.size())}});
      offset = align_up(offset + tensor.bytes.size());
    }
    manifest["tensors"] = std::move(table);
    manifest_text = dump_json(manifest);
    const std::uint64_t needed = align_up(kBundleHeaderSize + manifest_text.size());
    if (needed == data_start) break;
    data_start = needed;
  }

  std::uint64_t file_size = data_start;
  for (const auto& tensor : tensors_) file_size = align_up(file_size) + tensor.bytes.size();
  std::vector<std::uint8_t> file(file_size, 0);
  std::memcpy(file.data(), kBundleMagic, sizeof(kBundleMagic));
  store_u32(file.data() + 8, format_version);
  store_u32(file.data() + 12, format_version);
  store_u64(file.data() + 16, manifest_text.size());
  store_u32(file.data() + 24, crc32(manifest_text.data(), manifest_text.size()));
  std::memcpy(file.data() + kBundleHeaderSize, manifest_text.data(), manifest_text.size());
  std::uint64_t offset = data_start;
  for (const auto& tensor : tensors_) {
    if (!tensor.bytes.empty()) std::memcpy(file.data() + offset, tensor.bytes.data(), tensor.bytes.size());
    offset = align_up(offset + tensor.bytes.size());
  }
  return file;
}

}  // namespace shelfwise
