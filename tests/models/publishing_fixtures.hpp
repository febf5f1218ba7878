// Fixtures shared by the publishing tests: a small trained bundle and a scratch folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace shelfwise::testing {

// A CSV of `session_count` short sessions over 30 items with a repeated structure, so the
// item-kNN lists are non-trivial.
std::string small_shop_csv(int session_count = 60, int seed = 0);

// A fresh empty folder under the system temp dir, removed when the object is destroyed.
class ScratchFolder {
 public:
  ScratchFolder();
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes);
std::string read_text(const std::string& path);

}  // namespace shelfwise::testing
