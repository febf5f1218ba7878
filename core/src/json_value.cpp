#include "shelfwise/json_value.hpp"

#include <algorithm>
#include <cmath>

namespace shelfwise {
namespace {

std::vector<JsonMember>::const_iterator lower_bound(const std::vector<JsonMember>& members, std::string_view key) {
  return std::lower_bound(members.begin(), members.end(), key,
                          [](const JsonMember& member, std::string_view wanted) { return member.key < wanted; });
}

}  // namespace

JsonValue JsonValue::boolean(bool value) {
  JsonValue result;
  result.type_ = Type::boolean;
  result.boolean_ = value;
  return result;
}

JsonValue JsonValue::number(double value) {
  JsonValue result;
  if (!std::isfinite(value)) return result;
  result.type_ = Type::floating;
  result.floating_ = value;
  return result;
}

JsonValue JsonValue::unsigned_integer(std::uint64_t value) {
  JsonValue result;
  result.type_ = Type::unsigned_integer;
  result.unsigned_ = value;
  return result;
}

JsonValue JsonValue::integer(std::int64_t value) {
  if (value >= 0) return unsigned_integer(static_cast<std::uint64_t>(value));
  JsonValue result;
  result.type_ = Type::negative_integer;
  result.integer_ = value;
  return result;
}

JsonValue JsonValue::string(std::string value) {
  JsonValue result;
  result.type_ = Type::string;
  result.string_ = std::move(value);
  return result;
}

JsonValue JsonValue::array() {
  JsonValue result;
  result.type_ = Type::array;
  return result;
}

JsonValue JsonValue::object() {
  JsonValue result;
  result.type_ = Type::object;
  return result;
}

double JsonValue::as_double() const {
  switch (type_) {
    case Type::unsigned_integer: return static_cast<double>(unsigned_);
    case Type::negative_integer: return static_cast<double>(integer_);
    default: return floating_;
  }
}

std::size_t JsonValue::size() const {
  if (type_ == Type::array) return elements_.size();
  if (type_ == Type::object) return members_.size();
  return 0;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (type_ != Type::object) return nullptr;
  const auto found = lower_bound(members_, key);
  return found != members_.end() && found->key == key ? &found->value : nullptr;
}

void JsonValue::push_back(JsonValue value) { elements_.push_back(std::move(value)); }

void JsonValue::set(std::string key, JsonValue value) {
  const auto found = lower_bound(members_, key);
  if (found != members_.end() && found->key == key) {
    members_[static_cast<std::size_t>(found - members_.begin())].value = std::move(value);
    return;
  }
  members_.insert(found, JsonMember{std::move(key), std::move(value)});
}

void JsonValue::erase(std::string_view key) {
  const auto found = lower_bound(members_, key);
  if (found != members_.end() && found->key == key) members_.erase(found);
}

}  // namespace shelfwise
