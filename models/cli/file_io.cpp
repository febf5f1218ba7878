#include "cli/file_io.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace shelfwise::cli {
namespace {

Status io_error(const std::string& what, const std::string& path) {
  return Status(ErrorCode::io_error, what + " '" + path + "': " + std::strerror(errno));
}

}  // namespace

Result<std::string> read_text_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return io_error("cannot open", path);
  if (!S_ISREG(info.st_mode) && !S_ISFIFO(info.st_mode) && !S_ISCHR(info.st_mode)) {
    return Status(ErrorCode::io_error, "'" + path + "' is not a regular file");
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return io_error("cannot open", path);
  std::ostringstream contents;
  contents << stream.rdbuf();
  if (stream.bad()) return io_error("cannot read", path);
  return contents.str();
}

Result<ByteBuffer> read_binary_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return io_error("cannot open", path);
  if (!S_ISREG(info.st_mode)) return Status(ErrorCode::io_error, "'" + path + "' is not a regular file");
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return io_error("cannot open", path);
  std::fseek(file, 0, SEEK_END);
  const long size = std::ftell(file);
  std::fseek(file, 0, SEEK_SET);
  if (size < 0) {
    std::fclose(file);
    return io_error("cannot size", path);
  }
  ByteBuffer buffer(static_cast<std::size_t>(size));
  if (size > 0 && buffer.size() != static_cast<std::size_t>(size)) {
    std::fclose(file);
    return Status(ErrorCode::io_error, "out of memory reading '" + path + "'");
  }
  const std::size_t read = size > 0 ? std::fread(buffer.data(), 1, buffer.size(), file) : 0;
  std::fclose(file);
  if (read != buffer.size()) return io_error("cannot read", path);
  return buffer;
}

Status write_file_atomically(const std::string& path, const void* data, std::size_t size) {
  const std::string temporary = path + ".partial";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return io_error("cannot create", temporary);
  const bool written = std::fwrite(data, 1, size, file) == size;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    std::remove(temporary.c_str());
    return io_error("cannot write", temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return io_error("cannot replace", path);
  }
  return Status::ok_status();
}

}  // namespace shelfwise::cli
