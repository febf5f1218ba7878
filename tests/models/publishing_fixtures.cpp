#include "models/publishing_fixtures.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace shelfwise::testing {

std::string small_shop_csv(int session_count, int seed) {
  std::string csv = "session_id,user_id,item_id,timestamp,event\n";
  for (int session = 0; session < session_count; ++session) {
    const int start = (session * 7 + seed) % 30;
    for (int step = 0; step < 4; ++step) {
      const int item = (start + step * (1 + session % 3)) % 30;
      csv += std::to_string(session) + ",,SKU-" + std::to_string(100 + item) + "," + std::to_string(1700000000 + session * 100 + step) +
             (step == 3 && session % 5 == 0 ? ",cart\n" : ",view\n");
    }
  }
  return csv;
}

ScratchFolder::ScratchFolder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "shelfwise-publish-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchFolder::~ScratchFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream stream(path, std::ios::binary);
  stream.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!stream) throw std::runtime_error("cannot write " + path);
}

std::string read_text(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw std::runtime_error("cannot read " + path);
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

}  // namespace shelfwise::testing
