#include "shelfwise/json_fields.hpp"

#include <cmath>

#include "shelfwise/json_parser.hpp"

namespace shelfwise {
namespace {

Status missing(const JsonSubject& subject, const std::string& path) { return field_error(subject, path, "is missing"); }
Status wrong_type(const JsonSubject& subject, const std::string& path, const char* expected) {
  return field_error(subject, path, std::string("must be ") + expected);
}

const JsonValue* find_member(const JsonValue& object, const char* key) { return object.find(key); }

}  // namespace

Status field_error(const JsonSubject& subject, const std::string& path, const std::string& what) {
  return Status(subject.code, std::string(subject.noun) + " '" + path + "' " + what);
}

Status read_string(const JsonSubject& subject, const JsonValue& object, const char* key, const std::string& path,
                   std::string* out) {
  const JsonValue* member = find_member(object, key);
  if (member == nullptr) return missing(subject, path);
  if (!member->is_string()) return wrong_type(subject, path, "a string");
  *out = member->as_string();
  return Status::ok_status();
}

Status read_number(const JsonSubject& subject, const JsonValue& object, const char* key, const std::string& path,
                   double* out) {
  const JsonValue* member = find_member(object, key);
  if (member == nullptr) return missing(subject, path);
  if (!member->is_number()) return wrong_type(subject, path, "a number");
  const double value = member->as_double();
  if (!std::isfinite(value)) return wrong_type(subject, path, "a finite number");
  *out = value;
  return Status::ok_status();
}

Status read_optional_number(const JsonSubject& subject, const JsonValue& object, const char* key,
                            const std::string& path, double* out) {
  if (find_member(object, key) == nullptr) return Status::ok_status();
  return read_number(subject, object, key, path, out);
}

Status read_optional_bool(const JsonSubject& subject, const JsonValue& object, const char* key,
                          const std::string& path, bool* out) {
  const JsonValue* member = find_member(object, key);
  if (member == nullptr) return Status::ok_status();
  if (!member->is_boolean()) return wrong_type(subject, path, "true or false");
  *out = member->as_bool();
  return Status::ok_status();
}

Status read_optional_string_array(const JsonSubject& subject, const JsonValue& object, const char* key,
                                  const std::string& path, std::size_t max_count, std::vector<std::string>* out) {
  const JsonValue* member = find_member(object, key);
  if (member == nullptr) return Status::ok_status();
  if (!member->is_array()) return wrong_type(subject, path, "an array of strings");
  if (member->size() > max_count) {
    return Status(ErrorCode::limit_exceeded, std::string(subject.noun) + " '" + path + "' lists " +
                                                 std::to_string(member->size()) + " entries; at most " +
                                                 std::to_string(max_count));
  }
  out->clear();
  for (const auto& entry : member->elements()) {
    if (!entry.is_string()) return wrong_type(subject, path, "an array of strings");
    out->push_back(entry.as_string());
  }
  return Status::ok_status();
}

Status reject_unknown_keys(const JsonSubject& subject, const JsonValue& object, const std::string& path,
                           std::initializer_list<const char*> known) {
  if (!object.is_object()) return wrong_type(subject, path, "an object");
  for (const JsonMember& member : object.members()) {
    bool listed = false;
    for (const char* name : known) listed = listed || member.key == name;
    if (!listed) {
      std::string allowed;
      for (const char* name : known) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
      const std::string child = path.empty() ? member.key : path + "." + member.key;
      return field_error(subject, child, "is not known here (expected one of: " + allowed + ")");
    }
  }
  return Status::ok_status();
}

Result<JsonValue> parse_json_text(std::string_view text, const char* what, std::size_t max_bytes,
                                       std::size_t max_depth) {
  if (text.size() > max_bytes) {
    return Status(ErrorCode::limit_exceeded, std::string(what) + " is " + std::to_string(text.size()) +
                                                 " bytes; at most " + std::to_string(max_bytes));
  }
  // Depth is counted outside strings; brackets inside strings do not nest.
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char character = text[index];
    if (in_string) {
      if (character == '\\') {
        ++index;
      } else if (character == '"') {
        in_string = false;
      }
    } else if (character == '"') {
      in_string = true;
    } else if (character == '[' || character == '{') {
      if (++depth > max_depth) {
        return Status(ErrorCode::limit_exceeded, std::string(what) + " nests deeper than " + std::to_string(max_depth) + " levels");
      }
    } else if ((character == ']' || character == '}') && depth > 0) {
      --depth;
    }
  }
  std::optional<JsonValue> value = parse_json(text);
  if (!value) return Status(ErrorCode::parse_error, std::string(what) + " is not valid JSON");
  return std::move(*value);
}

Status read_string(const JsonValue& object, const char* key, const std::string& path, std::string* out) {
  return read_string(kManifestSubject, object, key, path, out);
}

Status read_unsigned(const JsonValue& object, const char* key, const std::string& path, std::uint64_t* out) {
  const JsonValue* member = find_member(object, key);
  if (member == nullptr) return missing(kManifestSubject, path);
  if (!member->is_number_unsigned()) return wrong_type(kManifestSubject, path, "a non-negative integer");
  *out = member->as_unsigned();
  return Status::ok_status();
}

Status read_number(const JsonValue& object, const char* key, const std::string& path, double* out) {
  return read_number(kManifestSubject, object, key, path, out);
}

Status read_optional_number(const JsonValue& object, const char* key, const std::string& path, double* out) {
  return read_optional_number(kManifestSubject, object, key, path, out);
}

Status require_object(const JsonValue& object, const char* key, const std::string& path,
                      const JsonValue** out) {
  const JsonValue* member = find_member(object, key);
  if (member == nullptr) return missing(kManifestSubject, path);
  if (!member->is_object()) return wrong_type(kManifestSubject, path, "an object");
  *out = member;
  return Status::ok_status();
}

}  // namespace shelfwise
