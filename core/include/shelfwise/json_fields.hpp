// Checked reads of untrusted JSON (bundle manifests, the ranker's rules): each returns a status
// naming the field rather than assuming a type: BAD_MANIFEST for manifests (the functions without
// a JsonSubject), the subject's own code otherwise (INVALID_ARGUMENT for rules).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>


#include "shelfwise/json_value.hpp"
#include "shelfwise/status.hpp"

namespace shelfwise {

// `path` is the dotted name used in messages ("model.kind").
Status read_string(const JsonValue& object, const char* key, const std::string& path, std::string* out);
Status read_unsigned(const JsonValue& object, const char* key, const std::string& path, std::uint64_t* out);
Status read_number(const JsonValue& object, const char* key, const std::string& path, double* out);
// Like read_number, but leaves *out unchanged when the key is absent.
Status read_optional_number(const JsonValue& object, const char* key, const std::string& path, double* out);
Status require_object(const JsonValue& object, const char* key, const std::string& path,
                      const JsonValue** out);

// What is being read, for messages and codes: "manifest field 'model.kind' is missing".
struct JsonSubject {
  ErrorCode code;
  const char* noun;
};
inline constexpr JsonSubject kManifestSubject{ErrorCode::bad_manifest, "manifest field"};
inline constexpr JsonSubject kRulesSubject{ErrorCode::invalid_argument, "rules field"};

// The same reads for any subject. The optional forms leave *out unchanged when the key is absent.
Status read_string(const JsonSubject& subject, const JsonValue& object, const char* key, const std::string& path,
                   std::string* out);
Status read_number(const JsonSubject& subject, const JsonValue& object, const char* key, const std::string& path,
                   double* out);
Status read_optional_number(const JsonSubject& subject, const JsonValue& object, const char* key,
                            const std::string& path, double* out);
Status read_optional_bool(const JsonSubject& subject, const JsonValue& object, const char* key,
                          const std::string& path, bool* out);
// An array of at most `max_count` strings; LIMIT_EXCEEDED beyond it.
Status read_optional_string_array(const JsonSubject& subject, const JsonValue& object, const char* key,
                                  const std::string& path, std::size_t max_count, std::vector<std::string>* out);
// Fails when `object` has a key outside `known` (a typo in a rule must not be silently ignored).
Status reject_unknown_keys(const JsonSubject& subject, const JsonValue& object, const std::string& path,
                           std::initializer_list<const char*> known);
// An error naming a field: "<noun> '<path>' <what>".
Status field_error(const JsonSubject& subject, const std::string& path, const std::string& what);

// Parses JSON text (json_parser.hpp). Text longer than `max_bytes` or nested deeper than
// `max_depth` is refused before parsing (LIMIT_EXCEEDED), since parsers recurse and hostile input
// must not exhaust the stack; malformed text fails with PARSE_ERROR.
Result<JsonValue> parse_json_text(std::string_view text, const char* what, std::size_t max_bytes,
                                       std::size_t max_depth);

}  // namespace shelfwise
