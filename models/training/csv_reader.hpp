// Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into records, keeping the
// 1-based line number of each record so that errors can name it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shelfwise/status.hpp"

namespace shelfwise::training {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // Reads the next record into `fields`; false at the end of the text. A record with an
  // unterminated quote sets `malformed` and consumes the rest of the text.
  bool next(std::vector<std::string>* fields);
  std::size_t line() const { return record_line_; }
  bool malformed() const { return malformed_; }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
  std::size_t current_line_ = 1;
  std::size_t record_line_ = 0;
  bool malformed_ = false;
};

// Finds each of the `count` column `names` in a header record (any order, extra columns allowed)
// and stores their positions in `column_of`; PARSE_ERROR naming the first missing one, prefixed
// with `where` ("file.csv:1").
Status map_header_columns(const std::vector<std::string>& header, const char* const* names, std::size_t count,
                          const std::string& where, std::vector<int>* column_of);

}  // namespace shelfwise::training
