#include "training/catalog_table.hpp"

#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "training/csv_reader.hpp"

namespace shelfwise::training {
namespace {

constexpr const char* kColumns[] = {"item_id", "category", "price", "title", "available"};
constexpr int kColumnCount = 5;

bool parse_price(const std::string& text, float* out) {
  if (text.empty()) {
    *out = -1.0f;
    return true;
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value) || value < 0.0 || value > 1e9) return false;
  *out = static_cast<float>(value);
  return true;
}

bool parse_available(const std::string& text, bool* out) {
  if (text.empty() || text == "1" || text == "true" || text == "yes") {
    *out = true;
  } else if (text == "0" || text == "false" || text == "no") {
    *out = false;
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<std::vector<CatalogRow>> parse_catalog(std::string_view text, const std::string& source_name) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  if (!reader.next(&fields)) return Status(ErrorCode::parse_error, source_name + ": empty file, expected a header");
  std::vector<int> column_of;
  SHELFWISE_RETURN_IF_ERROR(map_header_columns(fields, kColumns, kColumnCount,
                                               source_name + ":" + std::to_string(reader.line()), &column_of));
  const std::size_t header_width = fields.size();
  std::vector<CatalogRow> rows;
  std::unordered_set<std::string> seen;
  while (reader.next(&fields)) {
    const std::string where = source_name + ":" + std::to_string(reader.line()) + ": ";
    if (reader.malformed()) return Status(ErrorCode::parse_error, where + "unterminated quoted field");
    if (fields.size() != header_width) {
      return Status(ErrorCode::parse_error, where + "expected " + std::to_string(header_width) + " fields, found " +
                                                std::to_string(fields.size()));
    }
    CatalogRow row;
    row.item_id = fields[column_of[0]];
    row.category = fields[column_of[1]];
    row.title = fields[column_of[3]];
    if (row.item_id.empty()) return Status(ErrorCode::parse_error, where + "item_id is empty");
    if (!seen.insert(row.item_id).second) return Status(ErrorCode::parse_error, where + "item_id '" + row.item_id + "' repeats");
    if (!parse_price(fields[column_of[2]], &row.price)) {
      return Status(ErrorCode::parse_error, where + "price '" + fields[column_of[2]] + "' is not a non-negative number");
    }
    if (!parse_available(fields[column_of[4]], &row.available)) {
      return Status(ErrorCode::parse_error, where + "available '" + fields[column_of[4]] + "' is not 1 or 0");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace shelfwise::training
