#include "training/csv_reader.hpp"

namespace shelfwise::training {

bool CsvReader::next(std::vector<std::string>* fields) {
  fields->clear();
  malformed_ = false;
  // Blank lines separate nothing in our formats; skip them.
  while (position_ < text_.size() && (text_[position_] == '\n' || text_[position_] == '\r')) {
    if (text_[position_] == '\n') ++current_line_;
    ++position_;
  }
  if (position_ >= text_.size()) return false;
  record_line_ = current_line_;
  std::string field;
  bool quoted = false;
  bool field_was_quoted = false;
  while (position_ < text_.size()) {
    const char character = text_[position_++];
    if (quoted) {
      if (character == '"') {
        if (position_ < text_.size() && text_[position_] == '"') {
          field += '"';
          ++position_;
        } else {
          quoted = false;
        }
      } else {
        if (character == '\n') ++current_line_;
        field += character;
      }
      continue;
    }
    if (character == '"' && field.empty() && !field_was_quoted) {
      quoted = true;
      field_was_quoted = true;
    } else if (character == ',') {
      fields->push_back(std::move(field));
      field.clear();
      field_was_quoted = false;
    } else if (character == '\n') {
      ++current_line_;
      break;
    } else if (character != '\r') {
      field += character;
    }
  }
  if (quoted) malformed_ = true;
  fields->push_back(std::move(field));
  return true;
}

Status map_header_columns(const std::vector<std::string>& header, const char* const* names, std::size_t count,
                          const std::string& where, std::vector<int>* column_of) {
  column_of->assign(count, -1);
  for (std::size_t column = 0; column < count; ++column) {
    for (std::size_t position = 0; position < header.size(); ++position) {
      if (header[position] == names[column]) (*column_of)[column] = static_cast<int>(position);
    }
    if ((*column_of)[column] < 0) {
      std::string expected;
      for (std::size_t name = 0; name < count; ++name) expected += (name ? "," : "") + std::string(names[name]);
      return Status(ErrorCode::parse_error,
                    where + ": header lacks column '" + names[column] + "' (expected " + expected + ")");
    }
  }
  return Status::ok_status();
}

}  // namespace shelfwise::training
