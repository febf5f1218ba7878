#include "shelfwise/bundle_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "shelfwise/checksum_policy.hpp"
#include "shelfwise/crc32.hpp"
#include "shelfwise/finite_values.hpp"
#include "shelfwise/json_fields.hpp"
#include "shelfwise/json_parser.hpp"

namespace shelfwise {
namespace {

std::uint32_t load_u32(const std::uint8_t* bytes) {
  return static_cast<std::uint32_t>(bytes[0]) | (static_cast<std::uint32_t>(bytes[1]) << 8) |
         (static_cast<std::uint32_t>(bytes[2]) << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
}

std::uint64_t load_u64(const std::uint8_t* bytes) {
  return static_cast<std::uint64_t>(load_u32(bytes)) | (static_cast<std::uint64_t>(load_u32(bytes + 4)) << 32);
}

bool multiply_overflows(std::uint64_t left, std::uint64_t right, std::uint64_t* product) {
  if (left != 0 && right > std::numeric_limits<std::uint64_t>::max() / left) return true;
  *product = left * right;
  return false;
}

Status parse_tensor_entry(const JsonValue& entry, std::size_t position, TensorInfo* info) {
  const std::string path = "tensors[" + std::to_string(position) + "]";
  if (!entry.is_object()) return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' must be an object");
  SHELFWISE_RETURN_IF_ERROR(read_string(entry, "name", path + ".name", &info->name));
  const std::string named = path + " ('" + info->name + "')";
  std::string dtype_text;
  SHELFWISE_RETURN_IF_ERROR(read_string(entry, "dtype", named + ".dtype", &dtype_text));
  const auto dtype = dtype_from_name(dtype_text);
  if (!dtype) return Status(ErrorCode::bad_tensor, named + ".dtype '" + dtype_text + "' is not a known dtype");
  info->dtype = *dtype;
  const JsonValue* shape = entry.find("shape");
  if (shape == nullptr || !shape->is_array() || shape->empty() || shape->size() > kMaxTensorRank) {
    return Status(ErrorCode::bad_tensor, named + ".shape must be an array of 1 to 4 dimensions");
  }
  for (const JsonValue& dimension : shape->elements()) {
    if (!dimension.is_number_unsigned()) return Status(ErrorCode::bad_tensor, named + ".shape holds a non-integer");
    info->shape.push_back(dimension.as_unsigned());
  }
  SHELFWISE_RETURN_IF_ERROR(read_unsigned(entry, "offset", named + ".offset", &info->offset));
  SHELFWISE_RETURN_IF_ERROR(read_unsigned(entry, "size", named + ".size", &info->size));
  std::uint64_t crc = 0;
  SHELFWISE_RETURN_IF_ERROR(read_unsigned(entry, "crc32", named + ".crc32", &crc));
  if (crc > std::numeric_limits<std::uint32_t>::max()) return Status(ErrorCode::bad_tensor, named + ".crc32 is not a 32-bit value");
  info->crc32 = static_cast<std::uint32_t>(crc);

  std::uint64_t expected_size = dtype_size(info->dtype);
  for (const std::uint64_t dimension : info->shape) {
    if (multiply_overflows(expected_size, dimension, &expected_size)) {
      return Status(ErrorCode::shape_mismatch, named + ".shape overflows");
    }
  }
  if (expected_size != info->size) {
    return Status(ErrorCode::shape_mismatch, named + " has size " + std::to_string(info->size) +
                                                 " but its shape and dtype need " + std::to_string(expected_size));
  }
  if (info->offset % kTensorAlignment != 0) {
    return Status(ErrorCode::bad_tensor, named + ".offset " + std::to_string(info->offset) + " is not 64-byte aligned");
  }
  return Status::ok_status();
}

}  // namespace

std::uint64_t TensorInfo::element_count() const {
  std::uint64_t count = 1;
  for (const std::uint64_t dimension : shape) count *= dimension;
  return count;
}

const TensorInfo* Bundle::find(std::string_view name) const {
  for (const auto& info : tensors_) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

Result<std::shared_ptr<const Bundle>> read_bundle(ByteBuffer bytes) {
  const std::uint8_t* data = bytes.data();
  const std::uint64_t file_size = bytes.size();
  if (file_size < sizeof(kBundleMagic) || std::memcmp(data, kBundleMagic, sizeof(kBundleMagic)) != 0) {
    return Status(ErrorCode::bad_magic, "not a shelfwise bundle (bad magic)");
  }
  if (file_size < kBundleHeaderSize) {
    return Status(ErrorCode::truncated, "truncated at byte " + std::to_string(file_size) + ": the header needs " +
                                            std::to_string(kBundleHeaderSize) + " bytes");
  }
  const std::uint32_t format_version = load_u32(data + 8);
  const std::uint32_t min_reader_version = load_u32(data + 12);
  const std::uint64_t manifest_size = load_u64(data + 16);
  const std::uint32_t manifest_crc = load_u32(data + 24);
  if (format_version == 0 || min_reader_version > kBundleFormatVersion) {
    return Status(ErrorCode::unsupported_version,
                  "bundle format " + std::to_string(format_version) + " needs a reader of version " +
                      std::to_string(min_reader_version) + "; this one reads version " +
                      std::to_string(kBundleFormatVersion));
  }
  if (manifest_size > kMaxManifestBytes) {
    return Status(ErrorCode::limit_exceeded, "manifest_size " + std::to_string(manifest_size) + " exceeds the limit of " +
                                                 std::to_string(kMaxManifestBytes) + " bytes");
  }
  if (manifest_size > file_size - kBundleHeaderSize) {
    return Status(ErrorCode::truncated, "truncated at byte " + std::to_string(file_size) + ": the manifest ends at byte " +
                                            std::to_string(kBundleHeaderSize + manifest_size));
  }
  const char* manifest_text = reinterpret_cast<const char*>(data + kBundleHeaderSize);
  const bool verify_checksums = bundle_checksums_verified();
  if (verify_checksums && crc32(manifest_text, manifest_size) != manifest_crc) {
    return Status(ErrorCode::checksum_mismatch, "manifest checksum does not match (corrupt header or manifest)");
  }

  auto bundle = std::make_shared<Bundle>();
  std::optional<JsonValue> parsed = parse_json(std::string_view(manifest_text, static_cast<std::size_t>(manifest_size)));
  if (!parsed || !parsed->is_object()) return Status(ErrorCode::bad_manifest, "manifest is not a JSON object");
  bundle->manifest_ = std::move(*parsed);
  bundle->manifest_size_ = manifest_size;
  const JsonValue& manifest = bundle->manifest_;
  std::string format_name;
  SHELFWISE_RETURN_IF_ERROR(read_string(manifest, "format", "format", &format_name));
  if (format_name != "shelfwise-bundle") {
    return Status(ErrorCode::bad_manifest, "manifest field 'format' is '" + format_name + "', expected 'shelfwise-bundle'");
  }
  std::uint64_t manifest_version = 0;
  SHELFWISE_RETURN_IF_ERROR(read_unsigned(manifest, "format_version", "format_version", &manifest_version));
  if (manifest_version != format_version) {
    return Status(ErrorCode::bad_manifest, "manifest field 'format_version' disagrees with the header");
  }
  SHELFWISE_RETURN_IF_ERROR(read_unsigned(manifest, "item_count", "item_count", &bundle->item_count_));
  if (bundle->item_count_ == 0 || bundle->item_count_ > kMaxItemCount) {
    return Status(ErrorCode::limit_exceeded, "manifest field 'item_count' must be between 1 and " +
                                                 std::to_string(kMaxItemCount));
  }
  const JsonValue* model = nullptr;
  SHELFWISE_RETURN_IF_ERROR(require_object(manifest, "model", "model", &model));
  std::string kind;
  SHELFWISE_RETURN_IF_ERROR(read_string(*model, "kind", "model.kind", &kind));

  const JsonValue* tensor_list = manifest.find("tensors");
  if (tensor_list == nullptr || !tensor_list->is_array()) {
    return Status(ErrorCode::bad_manifest, "manifest field 'tensors' must be an array");
  }
  if (tensor_list->size() > kMaxTensorCount) {
    return Status(ErrorCode::limit_exceeded, "bundle has more than " + std::to_string(kMaxTensorCount) + " tensors");
  }
  const std::uint64_t data_start = kBundleHeaderSize + manifest_size;
  for (std::size_t position = 0; position < tensor_list->size(); ++position) {
    TensorInfo info;
    SHELFWISE_RETURN_IF_ERROR(parse_tensor_entry((*tensor_list)[position], position, &info));
    if (bundle->find(info.name) != nullptr) {
      return Status(ErrorCode::bad_tensor, "tensor '" + info.name + "' appears twice");
    }
    if (dtype_format_version(info.dtype) > format_version) {
      return Status(ErrorCode::bad_tensor, "tensor '" + info.name + "' has dtype " + std::string(dtype_name(info.dtype)) +
                                               ", which needs format v" + std::to_string(dtype_format_version(info.dtype)));
    }
    if (info.offset < data_start) {
      return Status(ErrorCode::bad_tensor, "tensor '" + info.name + "' overlaps the header or manifest");
    }
    if (info.offset > file_size || info.size > file_size - info.offset) {
      return Status(ErrorCode::truncated, "truncated at byte " + std::to_string(file_size) + ": tensor '" + info.name +
                                              "' ends at byte " + std::to_string(info.offset + info.size));
    }
    const std::uint8_t* tensor_bytes = data + info.offset;
    if (verify_checksums && crc32(tensor_bytes, info.size) != info.crc32) {
      return Status(ErrorCode::checksum_mismatch, "tensor '" + info.name + "' fails its checksum");
    }
    if (info.dtype == DType::f32 || info.dtype == DType::f16) {
      const auto largest = info.dtype == DType::f32 ? largest_finite_magnitude_f32(tensor_bytes, info.element_count())
                                                    : largest_finite_magnitude_f16(tensor_bytes, info.element_count());
      if (!largest) return Status(ErrorCode::non_finite, "tensor '" + info.name + "' holds NaN or Inf");
      info.largest_magnitude = *largest;
    }
    bundle->tensors_.push_back(std::move(info));
  }
  // Overlapping tensors would let one checksum vouch for another's bytes.
  std::vector<const TensorInfo*> by_offset;
  // Empty tensors own no bytes (the writer may place one at its successor's offset).
  for (const auto& info : bundle->tensors_) {
    if (info.size > 0) by_offset.push_back(&info);
  }
  std::sort(by_offset.begin(), by_offset.end(), [](const TensorInfo* a, const TensorInfo* b) { return a->offset < b->offset; });
  for (std::size_t index = 1; index < by_offset.size(); ++index) {
    if (by_offset[index - 1]->offset + by_offset[index - 1]->size > by_offset[index]->offset) {
      return Status(ErrorCode::bad_tensor, "tensors '" + by_offset[index - 1]->name + "' and '" + by_offset[index]->name + "' overlap");
    }
  }
  bundle->format_version_ = format_version;
  bundle->bytes_ = std::move(bytes);
  return std::shared_ptr<const Bundle>(std::move(bundle));
}

std::string_view Bundle::manifest_text() const {
  return std::string_view(reinterpret_cast<const char*>(bytes_.data() + kBundleHeaderSize), static_cast<std::size_t>(manifest_size_));
}

}  // namespace shelfwise
