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

// State a model derives from the events and advances as they arrive (the GRU's hidden vector),
// so an event costs O(d^2) instead of a replay of the session. Owned by the session, written only
// by the scorer of the model named by `owner`; a scorer of another model starts it afresh.
struct RecurrentState {
  const void* owner = nullptr;
  std::uint64_t events_folded = 0;  // SessionState::events_added() when last advanced
  std::vector<float> hidden;
};

class SessionState {
 public:
  static constexpr std::size_t kDefaultMaxEventsRetained = 200;
  explicit SessionState(std::size_t max_events_retained = kDefaultMaxEventsRetained)
      : max_events_retained_(max_events_retained == 0 ? 1 : max_events_retained) {}

  // Appends; when full, the oldest event is dropped (recency weighting makes it irrelevant).
  void add(const SessionEvent& event);
  // Forgets the events and every model's derived state.
  void clear() {
    events_.clear();
    events_added_ = 0;
    recurrent_.owner = nullptr;
  }

  const std::vector<SessionEvent>& events() const { return events_; }
  std::size_t max_events_retained() const { return max_events_retained_; }
  // Events added since construction or clear(), dropped ones included.
  std::uint64_t events_added() const { return events_added_; }

  // Derived state is a cache of the events, so it may advance while the session is read (const):
  // a session must not be scored from two threads at once.
  RecurrentState& recurrent_state() const { return recurrent_; }

 private:
  std::size_t max_events_retained_;
  std::vector<SessionEvent> events_;
  std::uint64_t events_added_ = 0;
  mutable RecurrentState recurrent_;
};

}  // namespace shelfwise
