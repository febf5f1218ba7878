// libFuzzer target: the interaction-log parser on arbitrary text, strict and lenient.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "training/interaction_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)shelfwise::training::parse_interaction_log(text, "fuzz.csv");
  shelfwise::training::ParseOptions lenient;
  lenient.skip_bad_rows = true;
  std::vector<std::string> warnings;
  auto log = shelfwise::training::parse_interaction_log(text, "fuzz.csv", lenient, &warnings);
  if (log.ok()) {
    std::size_t events = 0;
    for (const auto& session : log.value().sessions) events += session.event_count;
    if (events != log.value().events.size()) __builtin_trap();
  }
  return 0;
}
