#include "shelfwise/session_state.hpp"

namespace shelfwise {

void SessionState::add(const SessionEvent& event) {
  if (events_.size() >= max_events_retained_) events_.erase(events_.begin());
  events_.push_back(event);
  ++events_added_;
}

}  // namespace shelfwise
