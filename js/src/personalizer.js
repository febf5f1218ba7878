// The public SDK object. The model (weights) lives in wasm memory and is shared read-only; the
// shopper's raw events live here in JS (item ids, so they survive a model swap), and the core's
// session state is derived from them.
import { loadCoreModule } from './core_module.js';
import { bundleDigest, openBundle } from './bundle_source.js';
import { ShelfwiseError, codeName, invalidArgument } from './errors.js';
import { PersonalizerEvent } from './events.js';
import { ModelSync } from './model_sync.js';
import { resolveSyncOptions } from './sync_options.js';
import { ShopperProfile } from './shopper_profile.js';
import { DEFAULT_CONSENT } from './consent.js';
import { checkRetention } from './profile_store.js';
import { checkStorage } from './storage.js';
import { ShopperBehaviour, checkDevice, checkHalfLifeDays } from './behaviour.js';
import { encodeEdgeSession, writeEdgeSessionCookie } from './edge_session.js';
import { UserHistory, DEFAULT_MAX_HISTORY_EVENTS, MAX_HISTORY_EVENTS } from './user_history.js';
import { isNode } from './runtime.js';

const EVENT_TYPES = Object.freeze({ view: 0, cart: 1, purchase: 2 });
const SOURCES = Object.freeze(['next', 'related', 'popular', 'page', 'pinned', 'user', 'together']);
const NO_ITEM = 0xffffffff;
// Page items the model does not know travel to the core as FOREIGN_ITEM_BASE + n (n numbering the
// distinct unknown ids of the call), so a rerank keeps them (core/include/shelfwise/candidate_pool.hpp).
const FOREIGN_ITEM_BASE = 0x80000000;
const MAX_CONTEXT_ITEMS = 50;
const MAX_PAGE_ITEMS = 1000;
const MAX_SLOT_LENGTH = 64;
const CONTEXT_KEYS = new Set(['itemId', 'items']);
const MAX_ITEM_ID_LENGTH = 256;
const MAX_K = 1000;
const MAX_EXCLUDED = 100000;
const MAX_INDEX_CACHE = 200000;
const DEFAULT_MAX_SESSION_EVENTS = 200;

// `status` is the core's negative return value (-ErrorCode).
function coreError(engine, status) {
  return new ShelfwiseError(codeName(-status), engine.errorMessage() || codeName(-status));
}

function checkItemId(itemId, what = 'itemId') {
  if (typeof itemId !== 'string' || itemId.length === 0) throw invalidArgument(`${what} must be a non-empty string`);
  if (itemId.length > MAX_ITEM_ID_LENGTH) throw invalidArgument(`${what} is longer than ${MAX_ITEM_ID_LENGTH} characters`);
}

// What the SDK hands out once and keeps: nothing a caller does to it can change later answers.
function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

function checkK(k) {
  if (!Number.isInteger(k) || k < 1) throw invalidArgument('k must be a positive integer');
  if (k > MAX_K) throw new ShelfwiseError('LIMIT_EXCEEDED', `k is ${k}; at most ${MAX_K}`);
}

function checkExclude(exclude) {
  if (exclude === undefined) return [];
  if (!Array.isArray(exclude)) throw invalidArgument('exclude must be an array of item ids');
  if (exclude.length > MAX_EXCLUDED) throw new ShelfwiseError('LIMIT_EXCEEDED', `exclude lists more than ${MAX_EXCLUDED} items`);
  for (const itemId of exclude) checkItemId(itemId, 'exclude entry');
  return exclude;
}

function checkSlot(slot) {
  if (typeof slot !== 'string' || slot.length === 0 || slot.length > MAX_SLOT_LENGTH) {
    throw invalidArgument(`slot must be a recipe name of 1 to ${MAX_SLOT_LENGTH} characters`);
  }
  return slot;
}

// Rules go to the core as JSON text, the same text an edge worker passes; the core checks them.
function rulesText(rules) {
  if (rules === undefined || rules === null) return '';
  if (typeof rules === 'string') return rules;
  if (typeof rules !== 'object' || Array.isArray(rules)) throw invalidArgument('rules must be an object (or its JSON text)');
  try {
    return JSON.stringify(rules);
  } catch (error) {
    throw invalidArgument(`rules cannot be written as JSON: ${error.message}`);
  }
}

function checkContext(context) {
  if (context === undefined || context === null) return [];
  if (typeof context !== 'object' || Array.isArray(context)) throw invalidArgument('context must be an object: { itemId, items }');
  for (const key of Object.keys(context)) {
    if (!CONTEXT_KEYS.has(key)) throw invalidArgument(`context.${key} is not known (expected itemId or items)`);
  }
  const ids = [];
  if (context.itemId !== undefined) {
    checkItemId(context.itemId, 'context.itemId');
    ids.push(context.itemId);
  }
  if (context.items !== undefined) {
    if (!Array.isArray(context.items)) throw invalidArgument('context.items must be an array of item ids');
    for (const itemId of context.items) checkItemId(itemId, 'context.items entry');
    ids.push(...context.items);
  }
  if (ids.length > MAX_CONTEXT_ITEMS) throw new ShelfwiseError('LIMIT_EXCEEDED', `context lists ${ids.length} items; at most ${MAX_CONTEXT_ITEMS}`);
  return ids;
}


// Event ids only tell events apart when tabs and storage merge: they need uniqueness, not
// secrecy. Node loads its whole crypto stack at the first randomUUID() (5-8 ms of a cold start),
// so there, as where WebCrypto is missing, the id is 122 bits of Math.random in the same form.
function newEventId() {
  if (!isNode && typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const hex = (digits) => {
    let text = '';
    for (let digit = 0; digit < digits; digit += 1) text += Math.floor(Math.random() * 16).toString(16);
    return text;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(Math.random() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
}

// Events from storage or another tab are data, not code: only well-formed ones are taken.
function isWellFormedEvent(event) {
  return event !== null && typeof event === 'object' && typeof event.id === 'string' && Object.hasOwn(EVENT_TYPES, event.type) &&
    typeof event.itemId === 'string' && event.itemId.length > 0 && event.itemId.length <= MAX_ITEM_ID_LENGTH &&
    Number.isFinite(event.time) && event.time >= 0;
}


export class Personalizer extends EventTarget {
  #core;
  #engine;
  #session;
  #emptySession;
  #visitSession = null;
  #info = null;
  #events = [];
  #history;
  #maxSessionEvents;
  #fetch;
  #idCache = [];
  #indexCache = new Map();
  #closed = false;
  #sha256 = null;
  #hashBundle = null; // hashes the bundle in use on first demand (see bundleDigest)
  #sync = null;
  #profile = null;
  #behaviour;

  /** Use `await Personalizer.create(options)`. */
  constructor(core, engine, options) {
    super();
    this.#core = core;
    this.#engine = engine;
    this.#maxSessionEvents = options.maxSessionEvents;
    this.#history = new UserHistory(options.maxHistoryEvents);
    this.#fetch = options.fetch;
    this.#session = new core.Session(this.#maxSessionEvents);
    this.#emptySession = new core.Session(1);
    this.#behaviour = new ShopperBehaviour(core, options.behaviour);
  }

  /**
   * @param {object} options
   * @param {Uint8Array|ArrayBuffer|string|URL} options.bundle the model bundle (.swm): bytes or a URL
   * @param {string|URL|Uint8Array|ArrayBuffer|WebAssembly.Module} [options.wasm] where the core's .wasm comes from
   * @param {number} [options.maxSessionEvents] events of the visit kept (oldest dropped first), default 200
   * @param {number} [options.maxHistoryEvents] events (stored profile + visit) folded into the user vector, default 1000
   * @param {typeof fetch} [options.fetch] fetch implementation for URLs
   * @param {'desktop'|'mobile'|'tablet'} [options.device] the shopper's device, a behaviour feature (track() may update it)
   * @param {number} [options.affinityHalfLifeDays] half-life of the long-term affinities, default 30
   * @param {string|URL} [options.manifestUrl] sync from a signed channel manifest instead (then publicKey is required;
   *   bundle, if given, is only the fallback when storage holds no model); see index.d.ts for the other sync options
   */
  static async create(options = {}) {
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const maxSessionEvents = options.maxSessionEvents ?? DEFAULT_MAX_SESSION_EVENTS;
    if (!Number.isInteger(maxSessionEvents) || maxSessionEvents < 1 || maxSessionEvents > 10000) {
      throw invalidArgument('maxSessionEvents must be an integer from 1 to 10000');
    }
    const maxHistoryEvents = options.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
    if (!Number.isInteger(maxHistoryEvents) || maxHistoryEvents < 1 || maxHistoryEvents > MAX_HISTORY_EVENTS) {
      throw invalidArgument(`maxHistoryEvents must be an integer from 1 to ${MAX_HISTORY_EVENTS}`);
    }
    const behaviour = {
      device: checkDevice(options.device, 'options.device'),
      halfLifeDays: checkHalfLifeDays(options.affinityHalfLifeDays),
      maxEvents: checkRetention(options.retention).maxEvents,
    };
    if (options.manifestUrl !== undefined) {
      const [core, syncOptions] = await Promise.all([loadCoreModule(options.wasm), resolveSyncOptions(options)]);
      const personalizer = new Personalizer(core, new core.Engine(), { maxSessionEvents, maxHistoryEvents, fetch: options.fetch, behaviour });
      try {
        await personalizer.#startSync(syncOptions, options.bundle);
        await personalizer.#startProfile(options, syncOptions.storage);
      } catch (error) {
        personalizer.close();
        throw error;
      }
      return personalizer;
    }
    if (options.bundle === undefined) throw invalidArgument('options.bundle (or manifestUrl) is required');
    const storage = checkStorage(options.storage);
    const [core, bundle] = await Promise.all([loadCoreModule(options.wasm), openBundle(options.bundle, options.fetch)]);
    const engine = new core.Engine();
    const personalizer = new Personalizer(core, engine, { maxSessionEvents, maxHistoryEvents, fetch: options.fetch, behaviour });
    try {
      personalizer.#commit(bundle, await bundleDigest(bundle));
      await personalizer.#startProfile(options, storage);
    } catch (error) {
      personalizer.close();
      throw error;
    }
    return personalizer;
  }

  async #startProfile(options, storage) {
    const host = {
      events: () => this.#history.events,
      replaceEvents: (events) => {
        this.#behaviour?.replace(events.filter(isWellFormedEvent));
        this.#replaceEvents(events);
      },
      derived: () => this.#derivedProfile(),
      mergeEvents: (events) => this.#mergeEvents(events),
      emit: (type, detail) => this.dispatchEvent(new PersonalizerEvent(type, detail)),
      persistModel: () => this.#sync?.persist(),
    };
    const profileName = options.profileName ?? 'shelfwise';
    if (typeof profileName !== 'string' || profileName.length === 0) throw invalidArgument('profileName must be a non-empty string');
    this.#profile = new ShopperProfile(host, {
      consent: options.consent ?? DEFAULT_CONSENT, storage, retention: checkRetention(options.retention), name: profileName,
      now: () => Date.now() / 1000,
    });
    await this.#profile.start();
  }

  #replaceEvents(events) {
    if (this.#closed) return;
    const kept = events.filter(isWellFormedEvent);
    this.#events = kept.slice(-this.#maxSessionEvents);
    this.#history.replace(kept, this.#engine);
    this.#rebuildSession();
  }

  // Another tab's events, or the stored profile: a union by id, in time order.
  #mergeEvents(events) {
    if (this.#closed) return;
    const wellFormed = events.filter(isWellFormedEvent).map(({ id, type, itemId, time }) => ({ id, type, itemId, time }));
    this.#behaviour.merge(wellFormed);
    // The history holds the visit's events too (and older ones), so it is the base of the union.
    const merged = this.#history.union(wellFormed);
    if (merged) this.#replaceEvents(merged);
  }

  // What the profile keeps beside the events (stored, exported): derived from them on the device.
  #derivedProfile() {
    if (this.#closed || !this.#engine.hasModel()) return { affinities: null, segment: null };
    const result = this.#behaviour.compute(this.#engine);
    return { affinities: result.affinities, segment: this.#behaviour.segmentOf(result, this.#engine) };
  }

  /**
   * Replaces the model with another bundle. Validation happens before the swap: on any failure
   * this throws and the current model keeps serving. The visit's events carry over.
   */
  async loadBundle(bundle) {
    this.#assertOpen();
    const source = await openBundle(bundle, this.#fetch);
    const digest = await bundleDigest(source);
    this.#assertOpen();
    this.#commit(source, digest);
  }

  // Offline start from storage, else the fallback bundle, else a first sync that must succeed.
  async #startSync(syncOptions, fallbackBundle) {
    const host = {
      core: this.#core,
      install: (engine, { sha256 }) => this.#adopt(engine, sha256),
      emit: (type, detail) => this.dispatchEvent(new PersonalizerEvent(type, detail)),
    };
    this.#sync = new ModelSync(host, syncOptions);
    let ready = await this.#sync.restore();
    if (!ready && fallbackBundle !== undefined) {
      const bundle = await openBundle(fallbackBundle, this.#fetch);
      this.#commit(bundle, await bundleDigest(bundle));
      ready = true;
    }
    if (!ready) {
      const { error } = await this.#sync.sync();
      if (error) throw error;
      return;
    }
    this.#sync.sync(); // checks the manifest in the background; never rejects
  }

  // The sync path validates on its own engine; swapping is one synchronous step.
  #adopt(engine, sha256) {
    if (this.#closed) {
      engine.delete();
      return;
    }
    const replaced = this.#engine;
    this.#engine = engine;
    replaced.delete();
    this.#sha256 = sha256;
    this.#hashBundle = null;
    this.#idCache = [];
    this.#indexCache.clear();
    this.#info = null;
    this.#rebuildSession();
    this.#history.replay(this.#engine);
  }

  /**
   * Checks the channel manifest now and takes a new model if there is one. Never rejects:
   * resolves to { updated, error } with error a ShelfwiseError or null.
   */
  sync() {
    if (this.#closed) return Promise.resolve({ updated: false, error: new ShelfwiseError('NO_MODEL', 'this Personalizer is closed') });
    if (!this.#sync) return Promise.resolve({ updated: false, error: invalidArgument('created without manifestUrl: nothing to sync') });
    return this.#sync.sync();
  }

  /** Goes back to the previous good model (kept locally); NO_MODEL when there is none. */
  async rollback() {
    this.#assertOpen();
    if (!this.#sync) throw invalidArgument('created without manifestUrl: no previous model is kept');
    await this.#sync.rollback();
  }

  /** Where sync stands: channel, sequence, last check and error, failures in a row, next check. Null without sync. */
  syncStatus() {
    this.#assertOpen();
    return this.#sync ? this.#sync.status() : null;
  }

  // `bundle`: bytes, or a local file read here; `digest`: see bundleDigest.
  #commit(bundle, digest = null) {
    const size = bundle.byteLength;
    if (size === 0) throw new ShelfwiseError('TRUNCATED', 'truncated at byte 0: the bundle is empty');
    const address = this.#engine.reserveBundle(size);
    if (address === 0) throw new ShelfwiseError('LIMIT_EXCEEDED', `no memory for a ${size}-byte bundle`);
    const target = this.#core.HEAPU8.subarray(address, address + size);
    if (bundle instanceof Uint8Array) {
      target.set(bundle);
    } else {
      try {
        bundle.readInto(target);
      } catch (error) {
        this.#engine.reserveBundle(0); // releases the staged bytes
        throw error;
      }
    }
    const status = this.#engine.commitBundle();
    if (status !== 0) throw coreError(this.#engine, status);
    // The core reads the bundle in place and never writes to it: these bytes stay the model's
    // until the next successful load.
    this.#sha256 = typeof digest === 'function' ? null : digest;
    this.#hashBundle = typeof digest === 'function' ? () => digest(this.#core.HEAPU8.subarray(address, address + size)) : null;
    this.#idCache = [];
    this.#indexCache.clear();
    this.#info = null;
    this.#rebuildSession();
    this.#history.replay(this.#engine);
  }

  // Item ids cross into the wasm as UTF-8 strings, which costs more than the lookup itself; a
  // page of 200 candidates is looked up on every rerank. Bounded: unknown ids are cached too.
  #indexOf(itemId) {
    let index = this.#indexCache.get(itemId);
    if (index === undefined) {
      index = this.#engine.itemIndex(itemId);
      if (this.#indexCache.size >= MAX_INDEX_CACHE) this.#indexCache.clear();
      this.#indexCache.set(itemId, index);
    }
    return index;
  }

  #rebuildSession() {
    this.#session.clear();
    for (const event of this.#events) {
      const index = this.#indexOf(event.itemId);
      if (index >= 0) this.#session.add(index, EVENT_TYPES[event.type], event.time);
    }
  }

  #assertOpen() {
    if (this.#closed) throw new ShelfwiseError('NO_MODEL', 'this Personalizer is closed');
  }

  #itemId(index) {
    let id = this.#idCache[index];
    if (id === undefined) {
      id = this.#engine.itemId(index);
      this.#idCache[index] = id;
    }
    return id;
  }

  /**
   * Records what the shopper did. Unknown item ids are kept (they may be known to a later
   * model) but do not influence scores. Returns whether the current model knows the item.
   * @param {{type?: 'view'|'cart'|'purchase', itemId: string, time?: number, device?: 'desktop'|'mobile'|'tablet'}} event
   *   time in unix seconds; device, when given, becomes the shopper's current device (a behaviour feature)
   */
  track(event) {
    this.#assertOpen();
    if (event === null || typeof event !== 'object') throw invalidArgument('event must be an object');
    const type = event.type ?? 'view';
    if (!Object.hasOwn(EVENT_TYPES, type)) throw invalidArgument(`event type '${type}' is not view, cart or purchase`);
    checkItemId(event.itemId);
    const time = event.time ?? Date.now() / 1000;
    if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) throw invalidArgument('time must be a finite number of unix seconds');
    const device = checkDevice(event.device, 'event.device');
    const index = this.#indexOf(event.itemId);
    if (device !== undefined) this.#behaviour.setDevice(device);
    // Without consent nothing is kept, not even for this tab: results stay non-personal.
    if (this.#profile.consent === 'none') return { known: index >= 0 };
    const recorded = { id: newEventId(), type, itemId: event.itemId, time };
    this.#events.push(recorded);
    if (this.#events.length > this.#maxSessionEvents) this.#events.shift();
    if (index >= 0) this.#session.add(index, EVENT_TYPES[type], time);
    this.#behaviour.record(recorded);
    this.#history.record(recorded, this.#engine);
    this.#profile.recorded(recorded);
    return { known: index >= 0 };
  }

  /**
   * What to show the shopper. Without `slot`: what they are likely to want next, from this
   * visit's events. With `slot`: the ranker with that recipe ("home", "product-page", "cart",
   * "category-rerank" or one the bundle adds), the page's context items and business rules.
   * @param {{slot?: string, k?: number, context?: {itemId?: string, items?: string[]}, rules?: object|string, exclude?: string[]}} [options]
   */
  recommend(options = {}) {
    this.#assertOpen();
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const k = options.k ?? 10;
    checkK(k);
    if (options.slot === undefined) {
      if (options.context !== undefined || options.rules !== undefined) throw invalidArgument('context and rules need a slot');
      const excludeCount = this.#stageExclude(checkExclude(options.exclude));
      return this.#results(this.#engine.recommend(this.#session, k, excludeCount));
    }
    return this.#rank(checkSlot(options.slot), k, options, null);
  }

  /**
   * The page's own items reordered for this shopper by the ranker ("category-rerank" recipe
   * unless `slot` names another), with the rules applied. Only these items come back; ids the
   * model does not know are kept (they have no attributes: see the rules schema in README.md).
   * @param {string[]} items the page's item ids, at most 1000
   * @param {{slot?: string, k?: number, context?: {itemId?: string, items?: string[]}, rules?: object|string, exclude?: string[]}} [options]
   */
  rerank(items, options = {}) {
    this.#assertOpen();
    if (!Array.isArray(items)) throw invalidArgument('items must be an array of item ids');
    if (items.length > MAX_PAGE_ITEMS) throw new ShelfwiseError('LIMIT_EXCEEDED', `items lists ${items.length} ids; at most ${MAX_PAGE_ITEMS}`);
    for (const itemId of items) checkItemId(itemId, 'items entry');
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const k = options.k ?? Math.max(1, Math.min(items.length, MAX_K));
    checkK(k);
    const slot = checkSlot(options.slot ?? 'category-rerank');
    if (items.length === 0) {
      rulesText(options.rules);
      return [];
    }
    return this.#rank(slot, k, options, items);
  }

  // A visit given with the call (an edge worker's request) ranks in a session of its own: nothing
  // of it is tracked, kept or stored, and the tracked visit is left as it was. Without consent it
  // is ignored, as tracked events are.
  #stageVisit(visit) {
    if (!Array.isArray(visit)) throw invalidArgument('visit must be an array of item ids or { itemId, type } events');
    if (visit.length > this.#maxSessionEvents) {
      throw new ShelfwiseError('LIMIT_EXCEEDED', `visit lists ${visit.length} events; at most ${this.#maxSessionEvents}`);
    }
    const events = visit.map((entry) => {
      const event = typeof entry === 'string' ? { itemId: entry, type: 'view' } : entry;
      if (event === null || typeof event !== 'object') throw invalidArgument('visit entries must be item ids or { itemId, type } events');
      const type = event.type ?? 'view';
      if (!Object.hasOwn(EVENT_TYPES, type)) throw invalidArgument(`visit event type '${type}' is not view, cart or purchase`);
      checkItemId(event.itemId, 'visit itemId');
      return { itemId: event.itemId, type };
    });
    if (this.#profile.consent === 'none') return this.#emptySession;
    this.#visitSession ??= new this.#core.Session(this.#maxSessionEvents);
    this.#visitSession.clear();
    events.forEach(({ itemId, type }, position) => {
      const index = this.#indexOf(itemId);
      if (index >= 0) this.#visitSession.add(index, EVENT_TYPES[type], position + 1);
    });
    return this.#visitSession;
  }

  #rank(slot, k, options, pageIds) {
    const rules = rulesText(options.rules);
    const context = [];
    for (const itemId of checkContext(options.context)) {
      const index = this.#indexOf(itemId);
      if (index >= 0) context.push(index);
    }
    const excludeCount = this.#stageExclude(checkExclude(options.exclude));
    const contextAddress = this.#engine.reserveContext(context.length);
    if (contextAddress === 0) throw new ShelfwiseError('LIMIT_EXCEEDED', 'context list too long');
    this.#core.HEAPU32.set(context, contextAddress >>> 2);
    let foreignIds = null;
    let pageCount = 0;
    if (pageIds !== null) {
      foreignIds = [];
      const foreignNumbers = new Map();
      const page = new Array(pageIds.length);
      for (let position = 0; position < pageIds.length; position += 1) {
        const itemId = pageIds[position];
        let index = this.#indexOf(itemId);
        if (index < 0) {
          let number = foreignNumbers.get(itemId);
          if (number === undefined) {
            number = foreignIds.length;
            foreignNumbers.set(itemId, number);
            foreignIds.push(itemId);
          }
          index = FOREIGN_ITEM_BASE + number;
        }
        page[position] = index;
      }
      const pageAddress = this.#engine.reservePage(page.length);
      if (pageAddress === 0) throw new ShelfwiseError('LIMIT_EXCEEDED', 'page list too long');
      this.#core.HEAPU32.set(page, pageAddress >>> 2);
      pageCount = page.length;
    }
    const session = options.visit === undefined ? this.#session : this.#stageVisit(options.visit);
    const count = this.#engine.rank(session, slot, k, context.length, pageIds !== null, pageCount, excludeCount, rules);
    return this.#results(count, foreignIds);
  }

  /**
   * Items related to `itemId` ("customers also viewed"). An unknown id gets popular items.
   * @param {string} itemId
   * @param {number} [k]
   * @param {{exclude?: string[]}} [options]
   */
  related(itemId, k = 10, options = {}) {
    this.#assertOpen();
    checkItemId(itemId);
    checkK(k);
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const exclude = checkExclude(options.exclude);
    const index = this.#indexOf(itemId);
    // Unknown to this model: no neighbours, so the popular items.
    if (index < 0) return this.#popular(k, exclude.concat(itemId));
    const excludeCount = this.#stageExclude(exclude);
    return this.#results(this.#engine.related(index, k, excludeCount));
  }

  /**
   * "Frequently bought together": items carted or bought in the same sessions as `itemId`, from
   * the bundle's optional co-purchase lists. Never padded with other items: an empty list means
   * the model has no such evidence (or no such lists, or does not know the item).
   * @param {string} itemId
   * @param {number} [k]
   * @param {{exclude?: string[]}} [options]
   */
  boughtTogether(itemId, k = 6, options = {}) {
    this.#assertOpen();
    checkItemId(itemId);
    checkK(k);
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const exclude = checkExclude(options.exclude);
    const index = this.#indexOf(itemId);
    if (index < 0) return [];
    const excludeCount = this.#stageExclude(exclude);
    return this.#results(this.#engine.boughtTogether(index, k, excludeCount));
  }

  /**
   * The visit in the compact form an edge worker reads (cookie or X-Shelfwise-Session header;
   * format in edge_session.js), or null when consent is 'none'.
   * @param {{maxEvents?: number, maxLength?: number}} [options]
   */
  edgeSession(options = {}) {
    this.#assertOpen();
    if (this.#profile.consent === 'none') return null;
    return encodeEdgeSession(this.#events, options);
  }

  /**
   * Writes (or, when consent is 'none', deletes) the first-party cookie an edge worker reads the
   * visit from. Browsers only; returns whether a cookie now holds the visit.
   * @param {{name?: string, path?: string, domain?: string, sameSite?: 'Lax'|'Strict', secure?: boolean, maxEvents?: number}} [options]
   */
  writeEdgeSessionCookie(options = {}) {
    this.#assertOpen();
    return writeEdgeSessionCookie(this.edgeSession(options), this.#profile.consent, options);
  }

  /**
   * The model's popularity ranking (time-decayed), independent of this visit: "trending".
   * @param {{k?: number, exclude?: string[]}} [options]
   */
  popular(options = {}) {
    this.#assertOpen();
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const k = options.k ?? 10;
    checkK(k);
    return this.#popular(k, checkExclude(options.exclude));
  }

  #popular(k, exclude) {
    const excludeCount = this.#stageExclude(exclude);
    return this.#results(this.#engine.recommend(this.#emptySession, k, excludeCount));
  }

  #stageExclude(exclude) {
    const indices = [];
    for (const itemId of exclude) {
      const index = this.#indexOf(itemId);
      if (index >= 0) indices.push(index);
    }
    const address = this.#engine.reserveExclude(indices.length);
    if (address === 0) throw new ShelfwiseError('LIMIT_EXCEEDED', 'exclude list too long');
    this.#core.HEAPU32.set(indices, address >>> 2);
    return indices.length;
  }

  #results(count, foreignIds = null) {
    if (count < 0) throw coreError(this.#engine, count);
    // Views are taken after the call: memory may have grown during it.
    const items = new Uint32Array(this.#core.HEAPU8.buffer, this.#engine.resultItems(), count);
    const scores = new Float32Array(this.#core.HEAPU8.buffer, this.#engine.resultScores(), count);
    const sources = new Uint8Array(this.#core.HEAPU8.buffer, this.#engine.resultSources(), count);
    const because = new Uint32Array(this.#core.HEAPU8.buffer, this.#engine.resultBecause(), count);
    const results = new Array(count);
    for (let rank = 0; rank < count; rank += 1) {
      const item = items[rank];
      results[rank] = {
        itemId: item >= FOREIGN_ITEM_BASE && foreignIds !== null ? foreignIds[item - FOREIGN_ITEM_BASE] : this.#itemId(item),
        score: scores[rank],
        source: SOURCES[sources[rank]] ?? 'popular',
        because: because[rank] === NO_ITEM ? null : this.#itemId(because[rank]),
      };
    }
    return results;
  }

  /**
   * What this visit is about to do, from its events (types and times): the probability that it
   * ends in a purchase, its stage ('browsing' | 'comparing' | 'about_to_buy', with the
   * probability of each) and the category it is heading to (null without a catalogue or before
   * any known event). Null when the model was trained without intent heads (`--intent`).
   */
  intent() {
    this.#assertOpen();
    return this.#engine.intent(this.#session);
  }

  /**
   * The shopper's behaviour features as the bundle defines them ({ name: value or null when unknown }),
   * from the profile's events (stored and this visit's). Options: now (unix s), hour (local, 0-24), device.
   */
  features(options) {
    this.#assertOpen();
    return this.#behaviour.compute(this.#engine, options).features;
  }

  /** The shopper's micro-segment: { id, distances, share, traits }, or null when the bundle has no segments. */
  segment(options) {
    this.#assertOpen();
    return this.#behaviour.segmentOf(this.#behaviour.compute(this.#engine, options), this.#engine);
  }

  /** Calibrated probabilities { purchase, return } (null where the bundle has no such model). */
  propensity(options) {
    this.#assertOpen();
    return this.#behaviour.compute(this.#engine, options).propensity;
  }

  /** Long-term, time-decayed affinities by category and price level; null without a catalogue. */
  affinities(options) {
    this.#assertOpen();
    return this.#behaviour.compute(this.#engine, options).affinities;
  }

  /** This visit's events, oldest first (a copy). */
  session() {
    this.#assertOpen();
    return {
      events: this.#events.map((event) => ({ ...event, known: this.#indexOf(event.itemId) >= 0 })),
      maxEvents: this.#maxSessionEvents,
    };
  }

  /** The shopper's consent in force: 'none', 'session-only' or 'full'. */
  consent() {
    this.#assertOpen();
    return this.#profile.consent;
  }

  /**
   * Changes consent at once: 'none' forgets the visit and deletes the stored profile,
   * 'session-only' deletes the stored profile, 'full' stores the visit. Other tabs follow.
   */
  async setConsent(consent) {
    this.#assertOpen();
    await this.#profile.setConsent(consent);
  }

  /** Everything kept about the shopper (data portability), as JSON-compatible data. */
  async exportProfile() {
    this.#assertOpen();
    return this.#profile.exportProfile();
  }

  /** Deletes everything kept about the shopper, in memory and in storage, encryption keys included. */
  async erase() {
    this.#assertOpen();
    this.#events = [];
    this.#session.clear();
    this.#history.clear(this.#engine);
    await this.#profile.erase();
  }

  /**
   * Forgets this visit's events and the history folded into the user vector (events in storage
   * stay there and come back at the next start).
   */
  clearSession() {
    this.#assertOpen();
    this.#events = [];
    this.#session.clear();
    this.#history.clear(this.#engine);
  }

  /** Whether the model in use knows `itemId`. */
  knows(itemId) {
    this.#assertOpen();
    checkItemId(itemId);
    return this.#indexOf(itemId) >= 0;
  }

  /** Catalogue attributes of an item, or null when the model has none for it. */
  item(itemId) {
    this.#assertOpen();
    checkItemId(itemId);
    const index = this.#indexOf(itemId);
    if (index < 0) return null;
    const attributes = this.#engine.itemAttributes(index);
    return attributes === null ? null : { itemId, ...attributes };
  }

  #bundleSha256() {
    if (this.#hashBundle) {
      this.#sha256 = this.#hashBundle();
      this.#hashBundle = null;
    }
    return this.#sha256;
  }

  /** The model in use: kind, version, SHA-256 of its bundle, number of items and its manifest (without the tensor table). */
  modelInfo() {
    this.#assertOpen();
    // Decoding the manifest costs more than a rerank: it is read once per model and frozen, as the
    // edge worker names the model in every answer.
    this.#info ??= deepFreeze({
      kind: this.#engine.kind(),
      version: this.#engine.version(),
      sha256: this.#bundleSha256(),
      itemCount: this.#engine.itemCount(),
      hasCatalog: this.#engine.hasCatalog(),
      manifest: this.#engine.manifest(),
    });
    return this.#info;
  }

  /** Bytes of wasm memory in use by the module (it never shrinks; it is reused across models). */
  memoryStats() {
    this.#assertOpen();
    return { wasmHeapBytes: this.#core.HEAPU8.byteLength };
  }

  /** Frees the wasm-side objects. Idempotent; any later call throws NO_MODEL. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#sync?.stop();
    this.#profile?.close();
    this.#behaviour?.close();
    this.#session?.delete();
    this.#emptySession?.delete();
    this.#visitSession?.delete();
    this.#visitSession = null;
    this.#engine?.delete();
    this.#session = null;
    this.#emptySession = null;
    this.#engine = null;
    this.#events = [];
  }
}
