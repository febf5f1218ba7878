// The .swm bundle, format v1 (v2 where a tensor uses dtype u16). Everything a device needs for one
// model in one file that is read in place (no copies) after one validation pass.
//
// Layout (all integers little-endian):
//   offset  size  field                 added in
//   0       8     magic "\x89SWM\r\n\x1a\n" v1  (the PNG trick: catches text-mode transfers)
//   8       4     format_version         v1  (1, or 2 when a tensor uses a v2 dtype)
//   12      4     min_reader_version     v1  (a reader older than this must refuse the file; the
//                                             writer sets it to format_version)
//   16      8     manifest_size          v1  (bytes of UTF-8 JSON that follow the header)
//   24      4     manifest_crc32         v1
//   28      4     reserved, zero         v1
//   32      ...   manifest JSON          v1
//   then tensor bytes, each tensor starting at a 64-byte aligned file offset.
//
// Manifest keys (v1): "format" = "shelfwise-bundle", "format_version", "item_count",
// "model" {"kind", "version", "created_at", ...}, "hyperparameters" {...}, "inference" {...},
// "tensors" [{"name", "dtype", "shape", "offset", "size", "crc32"}], optional "recipes" (the
// ranker's slots, recipe.hpp), and free-form "training".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace shelfwise {

inline constexpr std::uint8_t kBundleMagic[8] = {0x89, 'S', 'W', 'M', '\r', '\n', 0x1A, '\n'};
// The newest format this reader reads. v2 adds dtype u16 (v1 readers do not know it, so a bundle
// that uses it tells them to refuse the file rather than fail on an unknown dtype); v3 stores a
// session-kNN model's item lists as varint codes (session_index.hpp), which v2 readers cannot read;
// v4 stores its session lengths as bytes instead of row offsets (session_index.hpp); v5 lets a GRU's
// int8 scoring copy be rotated (gru_quantisation.hpp), whose codes a v4 reader would misread; v6
// gives a rotated copy item rows of codes and keeps only the prefix's in the blocks
// (gru_quantisation.hpp), blocks a v5 reader would misread.
inline constexpr std::uint32_t kBundleFormatVersion = 6;
// What the writer puts in a bundle that needs nothing newer.
inline constexpr std::uint32_t kBundleBaseFormatVersion = 1;
inline constexpr std::size_t kBundleHeaderSize = 32;
inline constexpr std::size_t kTensorAlignment = 64;

// Sanity limits: anything larger is a corrupt or hostile file, not a model for a device.
inline constexpr std::uint64_t kMaxManifestBytes = 64ULL << 20;
inline constexpr std::uint64_t kMaxItemCount = 10'000'000;
inline constexpr std::size_t kMaxTensorCount = 256;
inline constexpr std::size_t kMaxTensorRank = 4;

enum class DType : std::uint8_t { f32, f16, i8, u8, i32, u32, u16 };

// The format version a bundle holding tensors of `dtype` needs.
std::uint32_t dtype_format_version(DType dtype);
// The format version a tensor's layout needs, by its name: 3 for "sknn.items.session_codes", 4
// for "sknn.sessions.lengths", 5 for "gru.code_rotation", 6 for "gru.item_code_rows", the base
// version for every other name (which the writer raises by the dtypes).
std::uint32_t tensor_format_version(std::string_view name);

std::string_view dtype_name(DType dtype);
std::optional<DType> dtype_from_name(std::string_view name);
std::size_t dtype_size(DType dtype);

}  // namespace shelfwise
