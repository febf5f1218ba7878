#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/json_parser.hpp"

namespace shelfwise {

JsonValue from_nlohmann(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::boolean: return JsonValue::boolean(value.get<bool>());
    case nlohmann::json::value_t::number_unsigned: return JsonValue::unsigned_integer(value.get<std::uint64_t>());
    case nlohmann::json::value_t::number_integer: return JsonValue::integer(value.get<std::int64_t>());
    case nlohmann::json::value_t::number_float: return JsonValue::number(value.get<double>());
    case nlohmann::json::value_t::string: return JsonValue::string(value.get<std::string>());
    case nlohmann::json::value_t::array: {
      JsonValue array = JsonValue::array();
      for (const auto& element : value) array.push_back(from_nlohmann(element));
      return array;
    }
    case nlohmann::json::value_t::object: {
      JsonValue object = JsonValue::object();
      for (auto member = value.begin(); member != value.end(); ++member) object.set(member.key(), from_nlohmann(member.value()));
      return object;
    }
    default: return JsonValue();
  }
}

nlohmann::json to_nlohmann(const JsonValue& value) {
  switch (value.type()) {
    case JsonValue::Type::null: return nullptr;
    case JsonValue::Type::boolean: return value.as_bool();
    case JsonValue::Type::unsigned_integer: return value.as_unsigned();
    case JsonValue::Type::negative_integer: return value.as_integer();
    case JsonValue::Type::floating: return value.as_double();
    case JsonValue::Type::string: return value.as_string();
    case JsonValue::Type::array: {
      nlohmann::json array = nlohmann::json::array();
      for (const JsonValue& element : value.elements()) array.push_back(to_nlohmann(element));
      return array;
    }
    case JsonValue::Type::object: {
      nlohmann::json object = nlohmann::json::object();
      for (const JsonMember& member : value.members()) object[member.key] = to_nlohmann(member.value);
      return object;
    }
  }
  return nullptr;
}

std::optional<JsonValue> parse_json(std::string_view text) {
  const nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (value.is_discarded()) return std::nullopt;
  return from_nlohmann(value);
}

nlohmann::json manifest_json(const Bundle& bundle) {
  const std::string_view text = bundle.manifest_text();
  return nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
}

nlohmann::json rewritable_manifest(const Bundle& bundle) {
  nlohmann::json manifest = manifest_json(bundle);
  for (const char* key : {"format", "format_version", "item_count", "tensors"}) manifest.erase(key);
  return manifest;
}

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status read_string(const nlohmann::json& object, const char* key, const std::string& path, std::string* out) {
  return read_string(from_nlohmann(object), key, path, out);
}

Status read_session_knn_config(const nlohmann::json& inference, const std::string& path, SessionKnnConfig* config) {
  return read_session_knn_config(from_nlohmann(inference), path, config);
}

}  // namespace shelfwise
