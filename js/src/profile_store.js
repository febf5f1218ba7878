// The stored half of the shopper's profile: events on the device, under retention limits applied
// on every write, shared by the shop's tabs. Writes are read-merge-write under a lock (Web Locks
// where the platform has them, else a queue in this JS realm), and events carry ids, so two tabs
// writing at once lose nothing. Tabs tell each other about new events, erasure and consent
// changes over a BroadcastChannel.
import { invalidArgument } from './errors.js';

const PROFILE_KEY = 'profile';
const PROFILE_FORMAT = 'shelfwise-profile';
const DAY_SECONDS = 86400;
export const DEFAULT_RETENTION = Object.freeze({ maxEvents: 1000, maxAgeDays: 90 });
const localQueues = new Map();

export function checkRetention(retention = {}) {
  if (retention === null || typeof retention !== 'object') throw invalidArgument('retention must be an object');
  const { maxEvents = DEFAULT_RETENTION.maxEvents, maxAgeDays = DEFAULT_RETENTION.maxAgeDays } = retention;
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > 100000) throw invalidArgument('retention.maxEvents must be an integer from 1 to 100000');
  if (!Number.isFinite(maxAgeDays) || maxAgeDays <= 0 || maxAgeDays > 3650) throw invalidArgument('retention.maxAgeDays must be a number of days from 0 to 3650');
  return Object.freeze({ maxEvents, maxAgeDays });
}

function isEvent(event) {
  return event !== null && typeof event === 'object' && typeof event.id === 'string' && typeof event.itemId === 'string' &&
    typeof event.type === 'string' && Number.isFinite(event.time);
}

/** Union by id, in time order (stable for equal times), then the retention limits. */
export function mergeEvents(older, newer, retention, nowSeconds) {
  const byId = new Map();
  for (const event of [...older, ...newer]) if (isEvent(event) && !byId.has(event.id)) byId.set(event.id, event);
  const oldest = nowSeconds - retention.maxAgeDays * DAY_SECONDS;
  const kept = [...byId.values()].filter((event) => event.time >= oldest).sort((a, b) => a.time - b.time);
  return kept.slice(-retention.maxEvents);
}

export class ProfileStore {
  #storage;
  #retention;
  #lockName;
  #channel = null;
  #now;

  /**
   * @param storage KeyValueStorage
   * @param options { name, retention, onMessage(message), now() -> unix seconds }
   */
  constructor(storage, { name, retention, onMessage, now }) {
    this.#storage = storage;
    this.#retention = retention;
    this.#lockName = `shelfwise-profile:${name}`;
    this.#now = now;
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(this.#lockName);
      this.#channel.onmessage = (message) => onMessage(message.data);
      this.#channel.unref?.();
    }
  }

  get retention() {
    return this.#retention;
  }

  #withLock(task) {
    const locks = globalThis.navigator?.locks;
    if (typeof locks?.request === 'function') return locks.request(this.#lockName, task);
    const queued = (localQueues.get(this.#lockName) ?? Promise.resolve()).then(task);
    localQueues.set(this.#lockName, queued.catch(() => {}));
    return queued;
  }

  async #read() {
    const record = await this.#storage.get(PROFILE_KEY);
    return record?.format === PROFILE_FORMAT && Array.isArray(record.events) ? record.events.filter(isEvent) : [];
  }

  /** The stored events, oldest first, within the retention limits. */
  async load() {
    return mergeEvents(await this.#read(), [], this.#retention, this.#now());
  }

  /**
   * Adds events (merging with what other tabs stored) and tells the other tabs. `derived` (the
   * affinities and segment computed from the events, or null) is stored beside them.
   */
  async append(events, derived = null) {
    await this.#withLock(async () => {
      const merged = mergeEvents(await this.#read(), events, this.#retention, this.#now());
      const record = { format: PROFILE_FORMAT, formatVersion: 1, updatedAt: this.#now(), events: merged };
      if (derived) record.derived = derived;
      await this.#storage.set(PROFILE_KEY, record);
    });
    this.#post({ type: 'events', events });
  }

  /** Deletes the stored events (consent withdrawn); `clearStorage` wipes the whole storage, keys included. */
  async remove({ clearStorage = false } = {}) {
    await this.#withLock(() => (clearStorage ? this.#storage.clear() : this.#storage.delete(PROFILE_KEY)));
  }

  announce(message) {
    this.#post(message);
  }

  #post(message) {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel (the page is going away) has nobody left to tell.
    }
  }

  close() {
    this.#channel?.close();
    this.#channel = null;
  }
}
