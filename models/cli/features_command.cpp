#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "cli/log_loading.hpp"
#include "shelfwise/affinities.hpp"
#include "shelfwise/behaviour_scorer.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/recommender.hpp"
#include "training/behaviour_examples.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kFeaturesHelp = R"(usage: shelfwise features --model model.swm --events shopper.csv [options]

What the device computes for one shopper whose events are every row of --events (in time order,
sessions and users ignored): the behaviour features, the segment with the distance to each
centroid, the purchase/return propensities and the long-term affinities. The SDK's features(),
segment(), propensity() and affinities() return the same numbers for the same events.
  --now T              the moment, unix seconds (default: the last event's time)
  --hour H             the shopper's local hour, 0 <= H < 24 (default: the UTC hour of --now)
  --device D           desktop, mobile or tablet (default: unknown)
  --half-life-days X   affinity half-life (default 30)
  --json               one JSON object instead of text
)";

int features(const CommandLine& line) {
  auto model_path = line.required("model");
  if (!model_path.ok()) return report_failure("features", model_path.status());
  auto events_path = line.required("events");
  if (!events_path.ok()) return report_failure("features", events_path.status());
  auto bytes = read_binary_file(model_path.value());
  if (!bytes.ok()) return report_failure("features", bytes.status());
  auto model = Model::load(std::move(bytes).value());
  if (!model.ok()) return report_failure("features", model.status());
  auto log = load_interaction_log(events_path.value(), line.has("skip-bad-rows"));
  if (!log.ok()) return report_failure("features", log.status());

  std::vector<BehaviourEvent> events;
  for (const auto& event : log.value().events) {
    const auto found = model.value()->items().find(log.value().item_ids[event.item]);
    events.push_back({found ? *found : kNoItem, event.type,
                      event.timestamp == training::kNoTimestamp ? 0.0 : static_cast<double>(event.timestamp)});
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  BehaviourContext context;
  auto now = line.number("now", events.empty() ? 0.0 : events.back().time);
  auto hour = line.number("hour", -1.0);
  auto half_life = line.number("half-life-days", 30.0);
  for (const Status* status : {&now.status(), &hour.status(), &half_life.status()}) {
    if (!status->ok()) return report_failure("features", *status);
  }
  context.now = now.value();
  context.local_hour = line.has("hour") ? hour.value() : training::local_hour_of(context.now, 0.0);
  if (line.has("hour") && !(hour.value() >= 0.0 && hour.value() < 24.0)) {
    return report_failure("features", Status(ErrorCode::invalid_argument, "--hour must be in [0, 24)"));
  }
  if (!device_from_name(line.value("device").value_or(""), &context.device)) {
    return report_failure("features", Status(ErrorCode::invalid_argument, "--device must be desktop, mobile or tablet"));
  }
  BehaviourScores scores;
  Status scored = score_behaviour(*model.value(), {events.data(), events.size()}, context, &scores);
  if (!scored.ok()) return report_failure("features", scored);
  nlohmann::json output = to_nlohmann(behaviour_scores_json(*model.value(), scores));
  if (model.value()->catalog() != nullptr) {
    AffinityOptions options;
    options.half_life_days = half_life.value();
    Affinities affinities;
    Status computed = compute_affinities(model.value()->behaviour().features(), {events.data(), events.size()}, context.now,
                                         options, &affinities);
    if (!computed.ok()) return report_failure("features", computed);
    output["affinities"] = to_nlohmann(affinities_json(model.value()->behaviour().features(), affinities, options));
  } else {
    output["affinities"] = nullptr;
  }
  output["events"] = events.size();
  output["now"] = context.now;
  std::printf("%s\n", dump_json(output, line.has("json") ? -1 : 2).c_str());
  return 0;
}

}  // namespace

int run_features(const std::vector<std::string>& arguments) {
  auto line = CommandLine::parse(arguments, {"model", "events", "now", "hour", "device", "half-life-days"},
                                 {"json", "skip-bad-rows", "help"});
  if (!line.ok()) return report_failure("features", line.status());
  if (line.value().has("help")) {
    std::fputs(kFeaturesHelp, stdout);
    return 0;
  }
  return features(line.value());
}

}  // namespace shelfwise::cli
