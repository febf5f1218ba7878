#include "shelfwise/json_fields.hpp"

#include <cmath>

namespace shelfwise {
namespace {

Status missing(const std::string& path) { return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' is missing"); }
Status wrong_type(const std::string& path, const char* expected) {
  return Status(ErrorCode::bad_manifest, "manifest field '" + path + "' must be " + expected);
}

const nlohmann::json* find_member(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

}  // namespace

Status read_string(const nlohmann::json& object, const char* key, const std::string& path, std::string* out) {
  const nlohmann::json* member = find_member(object, key);
  if (member == nullptr) return missing(path);
  if (!member->is_string()) return wrong_type(path, "a string");
  *out = member->get_ref<const std::string&>();
  return Status::ok_status();
}

Status read_unsigned(const nlohmann::json& object, const char* key, const std::string& path, std::uint64_t* out) {
  const nlohmann::json* member = find_member(object, key);
  if (member == nullptr) return missing(path);
  if (!member->is_number_unsigned()) return wrong_type(path, "a non-negative integer");
  *out = member->get<std::uint64_t>();
  return Status::ok_status();
}

Status read_number(const nlohmann::json& object, const char* key, const std::string& path, double* out) {
  const nlohmann::json* member = find_member(object, key);
  if (member == nullptr) return missing(path);
  if (!member->is_number()) return wrong_type(path, "a number");
  const double value = member->get<double>();
  if (!std::isfinite(value)) return wrong_type(path, "a finite number");
  *out = value;
  return Status::ok_status();
}

Status read_optional_number(const nlohmann::json& object, const char* key, const std::string& path, double* out) {
  if (find_member(object, key) == nullptr) return Status::ok_status();
  return read_number(object, key, path, out);
}

Status require_object(const nlohmann::json& object, const char* key, const std::string& path,
                      const nlohmann::json** out) {
  const nlohmann::json* member = find_member(object, key);
  if (member == nullptr) return missing(path);
  if (!member->is_object()) return wrong_type(path, "an object");
  *out = member;
  return Status::ok_status();
}

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace shelfwise
