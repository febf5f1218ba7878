// The public SDK object. The model (weights) lives in wasm memory and is shared read-only; the
// shopper's raw events live here in JS (item ids, so they survive a model swap), and the core's
// session state is derived from them.
import { loadCoreModule, isNode } from './core_module.js';
import { ShelfwiseError, codeName, invalidArgument } from './errors.js';

const EVENT_TYPES = Object.freeze({ view: 0, cart: 1, purchase: 2 });
const SOURCES = Object.freeze(['next', 'related', 'popular']);
const NO_ITEM = 0xffffffff;
const MAX_ITEM_ID_LENGTH = 256;
const MAX_K = 1000;
const MAX_EXCLUDED = 100000;
const DEFAULT_MAX_SESSION_EVENTS = 200;

// `status` is the core's negative return value (-ErrorCode).
function coreError(engine, status) {
  return new ShelfwiseError(codeName(-status), engine.errorMessage() || codeName(-status));
}

function checkItemId(itemId, what = 'itemId') {
  if (typeof itemId !== 'string' || itemId.length === 0) throw invalidArgument(`${what} must be a non-empty string`);
  if (itemId.length > MAX_ITEM_ID_LENGTH) throw invalidArgument(`${what} is longer than ${MAX_ITEM_ID_LENGTH} characters`);
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

async function fetchBytes(source, fetchImpl) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw invalidArgument('bundle must be bytes (Uint8Array/ArrayBuffer) or a URL');
  }
  const base = isNode ? `file://${process.cwd()}/` : globalThis.location?.href;
  let url;
  try {
    url = new URL(String(source), base);
  } catch {
    throw invalidArgument(`bundle URL '${source}' is not a valid URL`);
  }
  if (url.protocol === 'file:' && isNode) {
    const { readFile } = await import('node:fs/promises');
    try {
      return new Uint8Array(await readFile(url));
    } catch (error) {
      throw new ShelfwiseError('IO_ERROR', `cannot read bundle ${url.href}: ${error.message}`);
    }
  }
  let response;
  try {
    response = await (fetchImpl ?? globalThis.fetch)(url.href);
  } catch (error) {
    throw new ShelfwiseError('IO_ERROR', `cannot fetch bundle ${url.href}: ${error?.message ?? error}`);
  }
  if (!response.ok) throw new ShelfwiseError('IO_ERROR', `fetching bundle ${url.href} answered HTTP ${response.status}`);
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new ShelfwiseError('IO_ERROR', `bundle download from ${url.href} broke off: ${error?.message ?? error}`);
  }
}

export class Personalizer {
  #core;
  #engine;
  #session;
  #emptySession;
  #events = [];
  #maxSessionEvents;
  #fetch;
  #idCache = [];
  #closed = false;

  /** Use `await Personalizer.create(options)`. */
  constructor(core, engine, options) {
    this.#core = core;
    this.#engine = engine;
    this.#maxSessionEvents = options.maxSessionEvents;
    this.#fetch = options.fetch;
    this.#session = new core.Session(this.#maxSessionEvents);
    this.#emptySession = new core.Session(1);
  }

  /**
   * @param {object} options
   * @param {Uint8Array|ArrayBuffer|string|URL} options.bundle the model bundle (.swm): bytes or a URL
   * @param {string|URL|Uint8Array|ArrayBuffer|WebAssembly.Module} [options.wasm] where the core's .wasm comes from
   * @param {number} [options.maxSessionEvents] events of the visit kept (oldest dropped first), default 200
   * @param {typeof fetch} [options.fetch] fetch implementation for URLs
   */
  static async create(options = {}) {
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const maxSessionEvents = options.maxSessionEvents ?? DEFAULT_MAX_SESSION_EVENTS;
    if (!Number.isInteger(maxSessionEvents) || maxSessionEvents < 1 || maxSessionEvents > 10000) {
      throw invalidArgument('maxSessionEvents must be an integer from 1 to 10000');
    }
    if (options.bundle === undefined) throw invalidArgument('options.bundle is required');
    const [core, bytes] = await Promise.all([loadCoreModule(options.wasm), fetchBytes(options.bundle, options.fetch)]);
    const engine = new core.Engine();
    const personalizer = new Personalizer(core, engine, { maxSessionEvents, fetch: options.fetch });
    try {
      personalizer.#commit(bytes);
    } catch (error) {
      personalizer.close();
      throw error;
    }
    return personalizer;
  }

  /**
   * Replaces the model with another bundle. Validation happens before the swap: on any failure
   * this throws and the current model keeps serving. The visit's events carry over.
   */
  async loadBundle(bundle) {
    this.#assertOpen();
    const bytes = await fetchBytes(bundle, this.#fetch);
    this.#assertOpen();
    this.#commit(bytes);
  }

  #commit(bytes) {
    if (bytes.byteLength === 0) throw new ShelfwiseError('TRUNCATED', 'truncated at byte 0: the bundle is empty');
    const address = this.#engine.reserveBundle(bytes.byteLength);
    if (address === 0) throw new ShelfwiseError('LIMIT_EXCEEDED', `no memory for a ${bytes.byteLength}-byte bundle`);
    this.#core.HEAPU8.set(bytes, address);
    const status = this.#engine.commitBundle();
    if (status !== 0) throw coreError(this.#engine, status);
    this.#idCache = [];
    this.#rebuildSession();
  }

  #rebuildSession() {
    this.#session.clear();
    for (const event of this.#events) {
      const index = this.#engine.itemIndex(event.itemId);
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
   * @param {{type?: 'view'|'cart'|'purchase', itemId: string, time?: number}} event time in unix seconds
   */
  track(event) {
    this.#assertOpen();
    if (event === null || typeof event !== 'object') throw invalidArgument('event must be an object');
    const type = event.type ?? 'view';
    if (!Object.hasOwn(EVENT_TYPES, type)) throw invalidArgument(`event type '${type}' is not view, cart or purchase`);
    checkItemId(event.itemId);
    const time = event.time ?? Date.now() / 1000;
    if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) throw invalidArgument('time must be a finite number of unix seconds');
    const index = this.#engine.itemIndex(event.itemId);
    this.#events.push({ type, itemId: event.itemId, time });
    if (this.#events.length > this.#maxSessionEvents) this.#events.shift();
    if (index >= 0) this.#session.add(index, EVENT_TYPES[type], time);
    return { known: index >= 0 };
  }

  /**
   * What the shopper is likely to want next, from this visit's events.
   * @param {{k?: number, exclude?: string[]}} [options]
   */
  recommend(options = {}) {
    this.#assertOpen();
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const k = options.k ?? 10;
    checkK(k);
    const excludeCount = this.#stageExclude(checkExclude(options.exclude));
    return this.#results(this.#engine.recommend(this.#session, k, excludeCount));
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
    const index = this.#engine.itemIndex(itemId);
    // Unknown to this model: no neighbours, so the popular items.
    if (index < 0) return this.#popular(k, exclude.concat(itemId));
    const excludeCount = this.#stageExclude(exclude);
    return this.#results(this.#engine.related(index, k, excludeCount));
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
      const index = this.#engine.itemIndex(itemId);
      if (index >= 0) indices.push(index);
    }
    const address = this.#engine.reserveExclude(indices.length);
    if (address === 0) throw new ShelfwiseError('LIMIT_EXCEEDED', 'exclude list too long');
    this.#core.HEAPU32.set(indices, address >>> 2);
    return indices.length;
  }

  #results(count) {
    if (count < 0) throw coreError(this.#engine, count);
    // Views are taken after the call: memory may have grown during it.
    const items = new Uint32Array(this.#core.HEAPU8.buffer, this.#engine.resultItems(), count);
    const scores = new Float32Array(this.#core.HEAPU8.buffer, this.#engine.resultScores(), count);
    const sources = new Uint8Array(this.#core.HEAPU8.buffer, this.#engine.resultSources(), count);
    const because = new Uint32Array(this.#core.HEAPU8.buffer, this.#engine.resultBecause(), count);
    const results = new Array(count);
    for (let rank = 0; rank < count; rank += 1) {
      results[rank] = {
        itemId: this.#itemId(items[rank]),
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
    return JSON.parse(this.#engine.intent(this.#session));
  }

  /** This visit's events, oldest first (a copy). */
  session() {
    this.#assertOpen();
    return {
      events: this.#events.map((event) => ({ ...event, known: this.#engine.itemIndex(event.itemId) >= 0 })),
      maxEvents: this.#maxSessionEvents,
    };
  }

  /** Forgets this visit's events. */
  clearSession() {
    this.#assertOpen();
    this.#events = [];
    this.#session.clear();
  }

  /** Catalogue attributes of an item, or null when the model has none for it. */
  item(itemId) {
    this.#assertOpen();
    checkItemId(itemId);
    const index = this.#engine.itemIndex(itemId);
    if (index < 0) return null;
    const attributes = JSON.parse(this.#engine.itemAttributes(index));
    return attributes === null ? null : { itemId, ...attributes };
  }

  /** The model in use: kind, version, number of items and its manifest (without the tensor table). */
  modelInfo() {
    this.#assertOpen();
    return {
      kind: this.#engine.kind(),
      version: this.#engine.version(),
      itemCount: this.#engine.itemCount(),
      hasCatalog: this.#engine.hasCatalog(),
      manifest: JSON.parse(this.#engine.manifest()),
    };
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
    this.#session?.delete();
    this.#emptySession?.delete();
    this.#engine?.delete();
    this.#session = null;
    this.#emptySession = null;
    this.#engine = null;
    this.#events = [];
  }
}
