// libFuzzer target: the catalogue CSV parser on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "training/catalog_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)shelfwise::training::parse_catalog(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  return 0;
}
