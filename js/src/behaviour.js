// The shopper's long-term behaviour on the device: the events the profile holds (stored ones and
// this tab's), the device the page reported, and the core's view of them for the current model —
// behaviour features, micro-segment, propensities and affinities
// (core/include/shelfwise/behaviour_scorer.hpp, affinities.hpp). Nothing here leaves the device.
import { ShelfwiseError, codeName, invalidArgument } from './errors.js';

export const DEVICES = Object.freeze(['desktop', 'mobile', 'tablet']);
const DEVICE_CODES = Object.freeze({ desktop: 1, mobile: 2, tablet: 3 });
const EVENT_CODES = Object.freeze({ view: 0, cart: 1, purchase: 2 });
const UNKNOWN_ITEM = 0xffffffff;
const DEFAULT_HALF_LIFE_DAYS = 30;
const DEFAULT_MAX_EVENTS = 1000;
const OPTION_KEYS = new Set(['now', 'hour', 'device']);

/** undefined/null = unknown; otherwise one of DEVICES. */
export function checkDevice(device, what = 'device') {
  if (device === undefined || device === null) return undefined;
  if (!DEVICES.includes(device)) throw invalidArgument(`${what} '${device}' is not one of ${DEVICES.join(', ')}`);
  return device;
}

export function checkHalfLifeDays(days) {
  if (days === undefined) return DEFAULT_HALF_LIFE_DAYS;
  if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0 || days > 3650) {
    throw invalidArgument('affinityHalfLifeDays must be a number of days in (0, 3650]');
  }
  return days;
}

// The local hour (fractional) of a unix time, as the page's clock shows it.
function localHour(seconds) {
  const date = new Date(seconds * 1000);
  return date.getHours() + date.getMinutes() / 60 + date.getSeconds() / 3600;
}

function checkOptions(options) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw invalidArgument('options must be an object: { now, hour, device }');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw invalidArgument(`option '${key}' is not known (expected now, hour or device)`);
  }
  if (options.now !== undefined && (typeof options.now !== 'number' || !Number.isFinite(options.now) || options.now < 0)) {
    throw invalidArgument('now must be a finite number of unix seconds');
  }
  if (options.hour !== undefined && (typeof options.hour !== 'number' || !(options.hour >= 0 && options.hour < 24))) {
    throw invalidArgument('hour must be a number in [0, 24)');
  }
  checkDevice(options.device, 'options.device');
  return options;
}

const byTime = (a, b) => a.time - b.time;

export class ShopperBehaviour {
  #core;
  #stage;
  #device;
  #halfLifeDays;
  #maxEvents;
  #events = [];
  #summaryEngine = null;
  #summary = null;
  #indexEngine = null;
  #indices = new Map();

  /** @param options { device, halfLifeDays, maxEvents } */
  constructor(core, { device, halfLifeDays, maxEvents = DEFAULT_MAX_EVENTS }) {
    this.#core = core;
    this.#stage = new core.Behaviour();
    this.#device = checkDevice(device);
    this.#halfLifeDays = checkHalfLifeDays(halfLifeDays);
    this.#maxEvents = maxEvents;
  }

  get device() {
    return this.#device;
  }

  setDevice(device) {
    this.#device = checkDevice(device);
  }

  /** A tracked event (ids are unique; times need not be in order). */
  record(event) {
    this.#events.push(event);
    if (this.#events.length > 1 && event.time < this.#events[this.#events.length - 2].time) this.#events.sort(byTime);
    if (this.#events.length > this.#maxEvents) this.#events.splice(0, this.#events.length - this.#maxEvents);
  }

  /** Events from storage or another tab: a union by id. */
  merge(events) {
    const known = new Set(this.#events.map((event) => event.id));
    const added = events.filter((event) => !known.has(event.id));
    if (added.length === 0) return;
    this.#events = [...this.#events, ...added].sort(byTime).slice(-this.#maxEvents);
  }

  replace(events) {
    this.#events = events.slice().sort(byTime).slice(-this.#maxEvents);
  }

  /** Everything the core computes for the current model: { features, segment, propensity, affinities }. */
  compute(engine, options) {
    const { now = Date.now() / 1000, hour, device = this.#device } = checkOptions(options);
    const events = this.#events;
    const address = this.#stage.reserve(events.length);
    if (address === 0) throw new ShelfwiseError('LIMIT_EXCEEDED', `${events.length} events are too many to score`);
    // Views after reserve(): it may have grown the memory.
    const items = new Uint32Array(this.#core.HEAPU8.buffer, address, events.length);
    const types = new Uint8Array(this.#core.HEAPU8.buffer, this.#stage.types(), events.length);
    const times = new Float64Array(this.#core.HEAPU8.buffer, this.#stage.times(), events.length);
    for (let index = 0; index < events.length; index += 1) {
      const found = this.#itemIndex(engine, events[index].itemId);
      items[index] = found >= 0 ? found : UNKNOWN_ITEM;
      types[index] = EVENT_CODES[events[index].type];
      times[index] = events[index].time;
    }
    const status = this.#stage.compute(engine, events.length, now, hour ?? localHour(now), device ? DEVICE_CODES[device] : 0,
      this.#halfLifeDays);
    if (status !== 0) throw new ShelfwiseError(codeName(-status), this.#stage.errorMessage() || codeName(-status));
    return this.#stage.result();
  }

  // Indices mean nothing across models: the cache follows the engine.
  #itemIndex(engine, itemId) {
    if (this.#indexEngine !== engine) {
      this.#indices.clear();
      this.#indexEngine = engine;
    }
    let index = this.#indices.get(itemId);
    if (index === undefined) {
      index = engine.itemIndex(itemId);
      this.#indices.set(itemId, index);
    }
    return index;
  }

  /** segment() for a computed result: the id, distances, and the trainer's description of it. */
  segmentOf(result, engine) {
    if (result.segment === null) return null;
    const entry = this.#segmentSummary(engine)[result.segment.id] ?? {};
    return {
      id: result.segment.id,
      distances: result.segment.distances,
      share: typeof entry.share === 'number' ? entry.share : null,
      traits: Array.isArray(entry.traits) ? entry.traits.map(({ feature, z }) => ({ feature, z })) : [],
    };
  }

  #segmentSummary(engine) {
    if (this.#summaryEngine !== engine) {
      const manifest = engine.manifest();
      this.#summary = Array.isArray(manifest.segments?.summary) ? manifest.segments.summary : [];
      this.#summaryEngine = engine;
    }
    return this.#summary;
  }

  close() {
    this.#indices.clear();
    this.#indexEngine = null;
    this.#summaryEngine = null;
    this.#stage?.delete();
    this.#stage = null;
    this.#events = [];
  }
}
