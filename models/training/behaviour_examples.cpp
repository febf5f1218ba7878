#include "training/behaviour_examples.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "shelfwise/recommender.hpp"

namespace shelfwise::training {
namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr std::size_t kNotTarget = std::numeric_limits<std::size_t>::max();

struct TimelineEvent {
  BehaviourEvent event;
  std::size_t target_session = kNotTarget;  // session index in the target log
};

struct Timeline {
  bool known_user = false;
  std::vector<TimelineEvent> events;
};

double event_time(const LogEvent& event) {
  return event.timestamp == kNoTimestamp ? 0.0 : static_cast<double>(event.timestamp);
}

void add_log(const InteractionLog& log, bool is_target, const ItemMapper& model_index, std::vector<Timeline>* timelines,
             std::unordered_map<std::string, std::size_t>* by_user) {
  std::vector<std::uint32_t> mapped(log.item_ids.size());
  for (std::uint32_t item = 0; item < mapped.size(); ++item) mapped[item] = model_index(log, item);
  for (std::size_t session = 0; session < log.sessions.size(); ++session) {
    const LogSession& entry = log.sessions[session];
    std::size_t timeline;
    if (entry.user_id.empty()) {
      timeline = timelines->size();
      timelines->emplace_back();
    } else {
      const auto [found, added] = by_user->emplace(entry.user_id, timelines->size());
      if (added) timelines->emplace_back();
      timeline = found->second;
      (*timelines)[timeline].known_user = true;
    }
    for (std::size_t index = entry.first_event; index < entry.first_event + entry.event_count; ++index) {
      const LogEvent& event = log.events[index];
      (*timelines)[timeline].events.push_back(
          {{mapped[event.item], event.type, event_time(event)}, is_target ? session : kNotTarget});
    }
  }
}

double latest_time(const InteractionLog& log) {
  double latest = 0.0;
  for (const LogEvent& event : log.events) latest = std::max(latest, event_time(event));
  return latest;
}

class ExampleWriter {
 public:
  ExampleWriter(const BehaviourFeatures& features, const BehaviourExampleOptions& options)
      : features_(features), options_(options), row_(features.size()) {}

  Status add(const std::vector<BehaviourEvent>& events, std::size_t end, float label, bool labelled,
             BehaviourExampleSet* set) {
    const double now = events[end - 1].time;
    BehaviourContext context;
    context.now = now;
    context.local_hour = local_hour_of(now, options_.utc_offset_hours);
    SHELFWISE_RETURN_IF_ERROR(features_.compute({events.data(), end}, context, row_.data()));
    set->features.insert(set->features.end(), row_.begin(), row_.end());
    set->times.push_back(now);
    if (labelled) set->labels.push_back(label);
    return Status::ok_status();
  }

 private:
  const BehaviourFeatures& features_;
  const BehaviourExampleOptions& options_;
  std::vector<float> row_;
};

}  // namespace

double local_hour_of(double unix_seconds, double utc_offset_hours) {
  double seconds = std::fmod(unix_seconds + utc_offset_hours * 3600.0, kSecondsPerDay);
  if (seconds < 0.0) seconds += kSecondsPerDay;
  return std::min(seconds / 3600.0, std::nextafter(24.0, 0.0));
}

Result<BehaviourExamples> build_behaviour_examples(const BehaviourFeatures& features, const InteractionLog& target,
                                                   const std::vector<const InteractionLog*>& history,
                                                   const ItemMapper& model_index, const BehaviourExampleOptions& options) {
  BehaviourExamples examples;
  for (BehaviourExampleSet* set : {&examples.snapshots, &examples.purchase, &examples.returning}) {
    set->feature_count = features.size();
  }
  std::vector<Timeline> timelines;
  std::unordered_map<std::string, std::size_t> by_user;
  for (const InteractionLog* log : history) add_log(*log, false, model_index, &timelines, &by_user);
  add_log(target, true, model_index, &timelines, &by_user);
  for (const LogSession& session : target.sessions) examples.has_users = examples.has_users || !session.user_id.empty();
  for (const LogEvent& event : target.events) examples.has_purchases = examples.has_purchases || event.type == EventType::purchase;
  bool timed = target.has_timestamps;
  double data_end = latest_time(target);
  for (const InteractionLog* log : history) {
    timed = timed && log->has_timestamps;
    data_end = std::max(data_end, latest_time(*log));
  }
  const double gap = features.window().visit_gap_seconds;
  const double horizon = options.return_horizon_days * kSecondsPerDay;

  ExampleWriter writer(features, options);
  std::vector<BehaviourEvent> events;
  for (Timeline& timeline : timelines) {
    std::stable_sort(timeline.events.begin(), timeline.events.end(),
                     [](const TimelineEvent& a, const TimelineEvent& b) { return a.event.time < b.event.time; });
    events.clear();
    for (const TimelineEvent& entry : timeline.events) events.push_back(entry.event);
    const std::size_t count = events.size();

    // Visit ends: snapshots and return examples.
    bool visit_has_target = false;
    for (std::size_t index = 0; index < count; ++index) {
      visit_has_target = visit_has_target || timeline.events[index].target_session != kNotTarget;
      const bool ends = index + 1 == count || events[index + 1].time - events[index].time > gap;
      if (!ends) continue;
      if (visit_has_target) {
        SHELFWISE_RETURN_IF_ERROR(writer.add(events, index + 1, 0.0f, false, &examples.snapshots));
        if (timed && timeline.known_user) {
          // Only visits whose whole horizon lies inside the data: keeping the ones with a next
          // event but not the others would make every late visit look like a return.
          const double last = events[index].time;
          if (data_end - last >= horizon) {
            const bool returned = index + 1 < count && events[index + 1].time - last <= horizon;
            SHELFWISE_RETURN_IF_ERROR(writer.add(events, index + 1, returned ? 1.0f : 0.0f, true, &examples.returning));
          }
        }
      }
      visit_has_target = false;
    }

    // Purchase prefixes of each target session, in timeline positions.
    std::unordered_map<std::size_t, std::vector<std::size_t>> positions;
    for (std::size_t index = 0; index < count; ++index) {
      const std::size_t session = timeline.events[index].target_session;
      if (session != kNotTarget) positions[session].push_back(index);
    }
    std::vector<std::size_t> sessions;
    for (const auto& entry : positions) sessions.push_back(entry.first);
    std::sort(sessions.begin(), sessions.end());  // a deterministic order of examples
    for (const std::size_t session : sessions) {
      const auto& at = positions[session];
      std::size_t before_purchase = at.size();
      for (std::size_t step = 0; step < at.size(); ++step) {
        if (events[at[step]].type == EventType::purchase) {
          before_purchase = step;
          break;
        }
      }
      const float label = before_purchase < at.size() ? 1.0f : 0.0f;
      const std::size_t first = before_purchase > options.max_prefixes_per_session
                                    ? before_purchase - options.max_prefixes_per_session
                                    : 0;
      for (std::size_t step = first; step < before_purchase; ++step) {
        SHELFWISE_RETURN_IF_ERROR(writer.add(events, at[step] + 1, label, true, &examples.purchase));
      }
    }
  }
  return examples;
}

}  // namespace shelfwise::training
