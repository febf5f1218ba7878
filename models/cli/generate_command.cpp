#include <sys/stat.h>

#include <cstdio>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "training/synthetic_shop.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kGenerateHelp = R"(usage: shelfwise generate --out DIR [options]

Writes a seeded synthetic shop: DIR/catalog.csv, DIR/train.csv, DIR/valid.csv, DIR/test.csv.
  --seed N          random seed (default 42); the same seed gives the same files
  --items N         catalogue size (default 3000)
  --categories N    number of categories (default 12)
  --users N         returning shoppers (default 4000)
  --sessions N      training sessions (default 30000); valid and test get a tenth each
)";

int generate(const CommandLine& line) {
  auto out = line.required("out");
  if (!out.ok()) return report_failure("generate", out.status());
  training::SyntheticShopOptions options;
  auto seed = line.integer("seed", 42, 0, INT64_MAX);
  auto items = line.integer("items", options.item_count, 10, 2'000'000);
  auto categories = line.integer("categories", options.category_count, 1, 16);
  auto users = line.integer("users", options.user_count, 1, 10'000'000);
  auto sessions = line.integer("sessions", options.train_session_count, 10, 50'000'000);
  for (const Status* status : {&seed.status(), &items.status(), &categories.status(), &users.status(), &sessions.status()}) {
    if (!status->ok()) return report_failure("generate", *status);
  }
  options.seed = static_cast<std::uint64_t>(seed.value());
  options.item_count = static_cast<int>(items.value());
  options.category_count = static_cast<int>(categories.value());
  options.user_count = static_cast<int>(users.value());
  options.train_session_count = static_cast<int>(sessions.value());
  options.valid_session_count = std::max(1, options.train_session_count / 10);
  options.test_session_count = std::max(1, options.train_session_count / 10);

  if (::mkdir(out.value().c_str(), 0755) != 0 && errno != EEXIST) {
    return report_failure("generate", Status(ErrorCode::io_error, "cannot create folder '" + out.value() + "'"));
  }
  const training::SyntheticShopFiles files = training::generate_synthetic_shop(options);
  const std::pair<const char*, const std::string*> outputs[] = {
      {"catalog.csv", &files.catalog_csv}, {"train.csv", &files.train_csv}, {"valid.csv", &files.valid_csv}, {"test.csv", &files.test_csv}};
  for (const auto& [name, contents] : outputs) {
    const std::string path = out.value() + "/" + name;
    Status written = write_file_atomically(path, contents->data(), contents->size());
    if (!written.ok()) return report_failure("generate", written);
    std::printf("wrote %s (%zu bytes)\n", path.c_str(), contents->size());
  }
  return 0;
}

}  // namespace

int run_generate(const std::vector<std::string>& arguments) {
  auto line = CommandLine::parse(arguments, {"out", "seed", "items", "categories", "users", "sessions"}, {"help"});
  if (!line.ok()) return report_failure("generate", line.status());
  if (line.value().has("help")) {
    std::fputs(kGenerateHelp, stdout);
    return 0;
  }
  return generate(line.value());
}

}  // namespace shelfwise::cli
