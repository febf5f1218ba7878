// The shopper's long-term history as the core folds it into a user vector (the ranker's `user`
// source; core/include/shelfwise/user_vector.hpp): the stored profile's events plus this visit,
// by id and in time order, the newest `maxEvents` of them. Events are kept as item ids, so a new
// model simply replays them; the core's state is updated per event in O(k^2) and solved lazily
// at the next ranking. Nothing here leaves the device: the vector lives in wasm memory only.

const EVENT_TYPES = Object.freeze({ view: 0, cart: 1, purchase: 2 });
export const DEFAULT_MAX_HISTORY_EVENTS = 1000;
export const MAX_HISTORY_EVENTS = 100000;

export class UserHistory {
  #events = [];
  #maxEvents;

  constructor(maxEvents = DEFAULT_MAX_HISTORY_EVENTS) {
    this.#maxEvents = maxEvents;
  }

  /** The events kept, oldest first (a copy). */
  get events() {
    return this.#events.slice();
  }

  get maxEvents() {
    return this.#maxEvents;
  }

  /** The kept events with `events` added (by id), in time order; null when nothing is new. */
  union(events) {
    const known = new Set(this.#events.map((event) => event.id));
    const added = events.filter((event) => !known.has(event.id)).map(({ id, type, itemId, time }) => ({ id, type, itemId, time }));
    if (added.length === 0) return null;
    return [...this.#events, ...added].sort((a, b) => a.time - b.time);
  }

  /** Replaces the history (well-formed events, time order) and refolds it on `engine`. */
  replace(events, engine) {
    this.#events = events.slice(-this.#maxEvents);
    this.replay(engine);
  }

  /** One new event: O(k^2) in the core; the oldest event beyond maxEvents is folded out. */
  record(event, engine) {
    this.#events.push(event);
    this.#fold(engine, event, 'userAdd');
    if (this.#events.length > this.#maxEvents) this.#fold(engine, this.#events.shift(), 'userRemove');
  }

  /** Folds the whole history into `engine` again (a new model or a new engine). */
  replay(engine) {
    engine.userClear();
    if (!engine.hasItemFactors()) return;
    for (const event of this.#events) this.#fold(engine, event, 'userAdd');
  }

  clear(engine) {
    this.#events = [];
    engine.userClear();
  }

  #fold(engine, event, method) {
    if (!engine.hasItemFactors()) return;
    const index = engine.itemIndex(event.itemId);
    if (index >= 0) engine[method](index, EVENT_TYPES[event.type]);
  }
}
