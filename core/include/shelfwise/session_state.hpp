// The mutable, per-shopper side: the events of the current visit as item indices of one model.
// Derived state: the SDK keeps the raw events (item ids) and rebuilds this when the model changes,
// since indices mean nothing across models.
#pragma once

#include <cstdint>
#include <vector>

namespace shelfwise {

enum class EventType : std::uint8_t { view = 0, cart = 1, purchase = 2 };
inline constexpr int kEventTypeCount = 3;

struct SessionEvent {
  std::uint32_t item = 0;  // index in the model's vocabulary
  EventType type = EventType::view;
  double time = 0.0;  // unix seconds; 0 when unknown
};

class SessionState {
 public:
  static constexpr std::size_t kDefaultMaxEventsRetained = 200;
  explicit SessionState(std::size_t max_events_retained = kDefaultMaxEventsRetained)
      : max_events_retained_(max_events_retained == 0 ? 1 : max_events_retained) {}

  // Appends; when full, the oldest event is dropped (recency weighting makes it irrelevant).
  void add(const SessionEvent& event);
  void clear() { events_.clear(); }

  const std::vector<SessionEvent>& events() const { return events_; }
  std::size_t max_events_retained() const { return max_events_retained_; }

 private:
  std::size_t max_events_retained_;
  std::vector<SessionEvent> events_;
};

}  // namespace shelfwise
