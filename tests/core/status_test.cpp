// The stable error-code table and Status/Result: names are part of the JS API and never change.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "shelfwise/status.hpp"

namespace {

using shelfwise::ErrorCode;
using shelfwise::Result;
using shelfwise::Status;

shelfwise::Status fails_after_first(bool fail_first, int* reached) {
  SHELFWISE_RETURN_IF_ERROR(fail_first ? Status(ErrorCode::io_error, "first") : Status::ok_status());
  ++*reached;
  SHELFWISE_RETURN_IF_ERROR(Status(ErrorCode::internal, "second"));
  ++*reached;
  return Status::ok_status();
}

}  // namespace

TEST_CASE("Error codes have their released numbers and names", "[status]") {
  struct Entry {
    ErrorCode code;
    int number;
    const char* name;
  };
  const Entry table[] = {
      {ErrorCode::ok, 0, "OK"},
      {ErrorCode::bad_magic, 1, "BAD_MAGIC"},
      {ErrorCode::unsupported_version, 2, "UNSUPPORTED_VERSION"},
      {ErrorCode::truncated, 3, "TRUNCATED"},
      {ErrorCode::bad_manifest, 4, "BAD_MANIFEST"},
      {ErrorCode::bad_tensor, 5, "BAD_TENSOR"},
      {ErrorCode::checksum_mismatch, 6, "CHECKSUM_MISMATCH"},
      {ErrorCode::non_finite, 7, "NON_FINITE"},
      {ErrorCode::limit_exceeded, 8, "LIMIT_EXCEEDED"},
      {ErrorCode::shape_mismatch, 9, "SHAPE_MISMATCH"},
      {ErrorCode::invalid_argument, 10, "INVALID_ARGUMENT"},
      {ErrorCode::unknown_item, 11, "UNKNOWN_ITEM"},
      {ErrorCode::parse_error, 12, "PARSE_ERROR"},
      {ErrorCode::io_error, 13, "IO_ERROR"},
      {ErrorCode::no_model, 14, "NO_MODEL"},
      {ErrorCode::unsupported_model, 15, "UNSUPPORTED_MODEL"},
      {ErrorCode::internal, 16, "INTERNAL"},
  };
  for (const auto& entry : table) {
    INFO(entry.name);
    CHECK(static_cast<int>(entry.code) == entry.number);
    CHECK(shelfwise::error_code_name(entry.code) == entry.name);
  }
  CHECK(shelfwise::error_code_count() >= 17);
}

TEST_CASE("Every code in the table has a distinct, known name", "[status]") {
  const int count = shelfwise::error_code_count();
  REQUIRE(count > 0);
  std::set<std::string> names;
  for (int number = 0; number < count; ++number) {
    const std::string name(shelfwise::error_code_name(static_cast<ErrorCode>(number)));
    INFO("code " << number);
    CHECK(name != "UNKNOWN");
    CHECK_FALSE(name.empty());
    CHECK(name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == std::string::npos);
    names.insert(name);
  }
  CHECK(names.size() == static_cast<std::size_t>(count));
}

TEST_CASE("Numbers outside the table are named UNKNOWN", "[status]") {
  CHECK(shelfwise::error_code_name(static_cast<ErrorCode>(shelfwise::error_code_count())) == "UNKNOWN");
  CHECK(shelfwise::error_code_name(static_cast<ErrorCode>(-1)) == "UNKNOWN");
  CHECK(shelfwise::error_code_name(static_cast<ErrorCode>(100000)) == "UNKNOWN");
}

TEST_CASE("A Status prints as CODE: message", "[status]") {
  const Status failure(ErrorCode::bad_magic, "not a shelfwise bundle");
  CHECK_FALSE(failure.ok());
  CHECK(failure.code() == ErrorCode::bad_magic);
  CHECK(failure.message() == "not a shelfwise bundle");
  CHECK(failure.to_string() == "BAD_MAGIC: not a shelfwise bundle");
  const Status success;
  CHECK(success.ok());
  CHECK(success.to_string() == "OK");
  CHECK(Status::ok_status().code() == ErrorCode::ok);
}

TEST_CASE("A Result holds either a value or the failing Status", "[status]") {
  Result<std::vector<int>> value(std::vector<int>{7, 8});
  REQUIRE(value.ok());
  CHECK(value.status().ok());
  CHECK(value.value() == std::vector<int>{7, 8});
  const std::vector<int> moved = std::move(value).value();
  CHECK(moved == std::vector<int>{7, 8});

  const Result<int> failure(Status(ErrorCode::parse_error, "line 3"));
  CHECK_FALSE(failure.ok());
  CHECK(failure.status().code() == ErrorCode::parse_error);
  CHECK(failure.status().message() == "line 3");
}

TEST_CASE("SHELFWISE_RETURN_IF_ERROR returns the first failure and goes on after success", "[status]") {
  int reached = 0;
  const Status first = fails_after_first(true, &reached);
  CHECK(first.code() == ErrorCode::io_error);
  CHECK(reached == 0);
  reached = 0;
  const Status second = fails_after_first(false, &reached);
  CHECK(second.code() == ErrorCode::internal);
  CHECK(reached == 1);
}
