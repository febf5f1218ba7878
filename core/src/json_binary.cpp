#include "shelfwise/json_binary.hpp"

#include <cmath>
#include <cstring>

namespace shelfwise {
namespace {

enum Tag : std::uint8_t {
  kNull = 0,
  kFalse = 1,
  kTrue = 2,
  kFloat = 3,
  kUnsigned = 4,
  kNegative = 5,
  kString = 6,
  kArray = 7,
  kObject = 8,
};

class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : bytes_(bytes) {}

  bool value(std::size_t depth, JsonValue* out) {
    std::uint8_t tag = 0;
    if (depth > kMaxJsonBinaryDepth || !byte(&tag)) return false;
    switch (tag) {
      case kNull: *out = JsonValue(); return true;
      case kFalse: *out = JsonValue::boolean(false); return true;
      case kTrue: *out = JsonValue::boolean(true); return true;
      case kFloat: case kUnsigned: case kNegative: return number(tag, out);
      case kString: {
        std::string text;
        if (!string(&text)) return false;
        *out = JsonValue::string(std::move(text));
        return true;
      }
      case kArray: {
        std::uint32_t count = 0;
        if (!u32(&count)) return false;
        *out = JsonValue::array();
        for (std::uint32_t index = 0; index < count; ++index) {
          JsonValue element;
          if (!value(depth + 1, &element)) return false;
          out->push_back(std::move(element));
        }
        return true;
      }
      case kObject: {
        std::uint32_t count = 0;
        if (!u32(&count)) return false;
        *out = JsonValue::object();
        for (std::uint32_t index = 0; index < count; ++index) {
          std::string key;
          JsonValue member;
          if (!string(&key) || !value(depth + 1, &member)) return false;
          out->set(std::move(key), std::move(member));
        }
        return true;
      }
      default: return false;
    }
  }

  bool finished() const { return position_ == bytes_.size(); }

 private:
  bool byte(std::uint8_t* out) {
    if (position_ >= bytes_.size()) return false;
    *out = static_cast<std::uint8_t>(bytes_[position_++]);
    return true;
  }

  bool u32(std::uint32_t* out) {
    if (bytes_.size() - position_ < 4) return false;
    std::uint32_t value = 0;
    for (int shift = 0; shift < 32; shift += 8) value |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes_[position_++])) << shift;
    *out = value;
    return true;
  }

  bool number(std::uint8_t tag, JsonValue* out) {
    if (bytes_.size() - position_ < 8) return false;
    std::uint64_t bits = 0;
    for (int shift = 0; shift < 64; shift += 8) bits |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes_[position_++])) << shift;
    double value = 0.0;
    std::memcpy(&value, &bits, sizeof value);
    if (!std::isfinite(value)) return false;
    if (tag == kFloat) {
      *out = JsonValue::number(value);
    } else if (tag == kUnsigned) {
      if (value < 0.0 || value != std::floor(value) || value >= 18446744073709551616.0) return false;
      *out = JsonValue::unsigned_integer(static_cast<std::uint64_t>(value));
    } else {
      if (value >= 0.0 || value != std::floor(value) || value < -9223372036854775808.0) return false;
      *out = JsonValue::integer(static_cast<std::int64_t>(value));
    }
    return true;
  }

  bool string(std::string* out) {
    std::uint32_t size = 0;
    if (!u32(&size) || bytes_.size() - position_ < size) return false;
    out->assign(bytes_.data() + position_, size);
    position_ += size;
    return true;
  }

  std::string_view bytes_;
  std::size_t position_ = 0;
};

void put_u32(std::uint32_t value, std::string* out) {
  for (int shift = 0; shift < 32; shift += 8) out->push_back(static_cast<char>((value >> shift) & 0xFF));
}

void put_number(Tag tag, double value, std::string* out) {
  out->push_back(static_cast<char>(tag));
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof value);
  for (int shift = 0; shift < 64; shift += 8) out->push_back(static_cast<char>((bits >> shift) & 0xFF));
}

void put_string(const std::string& text, std::string* out) {
  put_u32(static_cast<std::uint32_t>(text.size()), out);
  out->append(text);
}

}  // namespace

std::optional<JsonValue> decode_json_binary(std::string_view bytes) {
  Decoder decoder(bytes);
  JsonValue value;
  if (!decoder.value(0, &value) || !decoder.finished()) return std::nullopt;
  return value;
}

void encode_json_binary(const JsonValue& value, std::string* out) {
  switch (value.type()) {
    case JsonValue::Type::null: out->push_back(static_cast<char>(kNull)); return;
    case JsonValue::Type::boolean: out->push_back(static_cast<char>(value.as_bool() ? kTrue : kFalse)); return;
    case JsonValue::Type::floating: put_number(kFloat, value.as_double(), out); return;
    case JsonValue::Type::unsigned_integer: put_number(kUnsigned, value.as_double(), out); return;
    case JsonValue::Type::negative_integer: put_number(kNegative, value.as_double(), out); return;
    case JsonValue::Type::string:
      out->push_back(static_cast<char>(kString));
      put_string(value.as_string(), out);
      return;
    case JsonValue::Type::array:
      out->push_back(static_cast<char>(kArray));
      put_u32(static_cast<std::uint32_t>(value.size()), out);
      for (const JsonValue& element : value.elements()) encode_json_binary(element, out);
      return;
    case JsonValue::Type::object:
      out->push_back(static_cast<char>(kObject));
      put_u32(static_cast<std::uint32_t>(value.size()), out);
      for (const JsonMember& member : value.members()) {
        put_string(member.key, out);
        encode_json_binary(member.value, out);
      }
      return;
  }
}

}  // namespace shelfwise
