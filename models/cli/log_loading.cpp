#include "cli/log_loading.hpp"

#include <cstdio>

#include "cli/file_io.hpp"

namespace shelfwise::cli {

Result<training::InteractionLog> load_interaction_log(const std::string& path, bool skip_bad_rows) {
  auto text = read_text_file(path);
  if (!text.ok()) return text.status();
  training::ParseOptions options;
  options.skip_bad_rows = skip_bad_rows;
  std::vector<std::string> warnings;
  auto log = training::parse_interaction_log(text.value(), path, options, &warnings);
  for (const auto& warning : warnings) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  return log;
}

}  // namespace shelfwise::cli
