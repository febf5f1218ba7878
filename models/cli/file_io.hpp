// Whole-file reads and atomic writes for the CLI (the core itself does no I/O).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shelfwise/byte_buffer.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise::cli {

Result<std::string> read_text_file(const std::string& path);
Result<ByteBuffer> read_binary_file(const std::string& path);
// Writes to a temporary file beside `path` and renames it over, so readers never see half a file.
Status write_file_atomically(const std::string& path, const void* data, std::size_t size);

}  // namespace shelfwise::cli
