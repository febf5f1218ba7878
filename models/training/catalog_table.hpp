// The optional catalogue CSV: item_id,category,price,title,available (header names any order).
// Empty price = unknown; available is 1/0/true/false/yes/no, empty meaning available.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shelfwise/status.hpp"

namespace shelfwise::training {

struct CatalogRow {
  std::string item_id;
  std::string category;
  float price = -1.0f;  // negative = unknown
  std::string title;
  bool available = true;
};

Result<std::vector<CatalogRow>> parse_catalog(std::string_view text, const std::string& source_name);

}  // namespace shelfwise::training
