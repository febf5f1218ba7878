// A JSON document as the core reads it: manifests, rules and recipes come in as JsonValue, and
// what the SDK gets back as JSON (intent, behaviour, item attributes) goes out as one. The core
// never parses JSON text itself: parse_json (json_parser.hpp) is supplied by the build, nlohmann
// in native builds and the host's JSON.parse in the shipped wasm, which keeps a JSON library out
// of the shipped code. Numbers keep the integer/float distinction of their text so "must be an
// integer" checks and native re-serialisation behave as before. Object members are kept sorted
// by key with one entry per key (the last one wins), the order nlohmann iterates in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shelfwise {

struct JsonMember;

class JsonValue {
 public:
  enum class Type : std::uint8_t { null, boolean, unsigned_integer, negative_integer, floating, string, array, object };

  JsonValue() = default;
  static JsonValue boolean(bool value);
  // Non-finite doubles become null, as when nlohmann writes them.
  static JsonValue number(double value);
  static JsonValue unsigned_integer(std::uint64_t value);
  static JsonValue integer(std::int64_t value);
  static JsonValue string(std::string value);
  static JsonValue array();
  static JsonValue object();

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_boolean() const { return type_ == Type::boolean; }
  bool is_number() const { return type_ == Type::unsigned_integer || type_ == Type::negative_integer || type_ == Type::floating; }
  bool is_number_unsigned() const { return type_ == Type::unsigned_integer; }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }

  // Reads; each requires the matching type (callers check with is_*() first).
  bool as_bool() const { return boolean_; }
  double as_double() const;
  std::uint64_t as_unsigned() const { return unsigned_; }
  std::int64_t as_integer() const { return integer_; }
  const std::string& as_string() const { return string_; }

  // Element or member count; 0 for scalars.
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  const JsonValue& operator[](std::size_t index) const { return elements_[index]; }
  const std::vector<JsonValue>& elements() const { return elements_; }
  const std::vector<JsonMember>& members() const { return members_; }
  // The member named `key`, or null (also when this is not an object).
  const JsonValue* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }

  // Building: push_back on arrays, set/erase on objects.
  void push_back(JsonValue value);
  void set(std::string key, JsonValue value);
  void erase(std::string_view key);

 private:
  Type type_ = Type::null;
  bool boolean_ = false;
  std::uint64_t unsigned_ = 0;
  std::int64_t integer_ = 0;
  double floating_ = 0.0;
  std::string string_;
  std::vector<JsonValue> elements_;
  std::vector<JsonMember> members_;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

}  // namespace shelfwise
