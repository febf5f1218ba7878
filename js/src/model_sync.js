// Keeps a Personalizer's model in step with a signed channel manifest on a static host.
//
// A candidate goes through, in order: the manifest (HTTP with If-None-Match, signature, fields,
// channel, sequence not older than the current one, minimum SDK version), the bundle (HTTP, size,
// SHA-256), the core's own validation (on a second engine, so the serving one is untouched) and
// the canary vectors; only then does the host swap engines, synchronously, so two calls never
// see different halves. Any failure leaves the current model serving and is reported as a coded
// ShelfwiseError. The last good bundle and the one before it are kept (in memory, and in
// `storage` when given) for offline start and one-step local rollback.
import { ShelfwiseError, codeName } from './errors.js';
import { sha256Hex } from './encoding.js';
import { fetchBytesWithin } from './http_fetch.js';
import { verifyManifest } from './manifest_verifier.js';
import { checkCanaries } from './canaries.js';
import { Backoff } from './backoff.js';
import { storageError } from './storage.js';

const MAX_MANIFEST_BYTES = 1 << 20;
const STORAGE_KEYS = Object.freeze({ current: 'model:current', previous: 'model:previous', rejected: 'model:rejected' });

function asShelfwiseError(error) {
  if (error instanceof ShelfwiseError) return error;
  return new ShelfwiseError('INTERNAL', `sync failed unexpectedly: ${error?.message ?? error}`);
}

function decodeManifest(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ShelfwiseError('BAD_MANIFEST', 'manifest: not UTF-8 text');
  }
}

/** A validated model ready to serve: the engine holding it and what it came from. */
function loadCandidate(core, bytes) {
  const engine = new core.Engine();
  const address = engine.reserveBundle(bytes.byteLength);
  if (address === 0) {
    engine.delete();
    throw new ShelfwiseError('LIMIT_EXCEEDED', `no memory for a ${bytes.byteLength}-byte bundle`);
  }
  core.HEAPU8.set(bytes, address);
  const status = engine.commitBundle();
  if (status !== 0) {
    const error = new ShelfwiseError(codeName(-status), engine.errorMessage() || codeName(-status));
    engine.delete();
    throw error;
  }
  return engine;
}

export class ModelSync {
  #host;
  #core;
  #manifestUrl;
  #channel;
  #publicKey;
  #storage;
  #fetch;
  #timeoutMs;
  #intervalMs;
  #backoff;
  #current = null; // { manifestText, payload, etag, bytes, sha256 }
  #previous = null;
  #rejected = new Set(); // bundles rolled back from on this device: not taken again from the channel
  #inflight = null;
  #timer = null;
  #nextSyncAt = null;
  #lastCheckedAt = null;
  #lastError = null;
  #stopped = false;

  /**
   * @param {object} host { core, install(engine, record), emit(type, detail) } from the Personalizer
   */
  constructor(host, { manifestUrl, channel, publicKey, storage, fetch, timeoutMs, syncIntervalMs, retry }) {
    this.#host = host;
    this.#core = host.core;
    this.#manifestUrl = manifestUrl;
    this.#channel = channel;
    this.#publicKey = publicKey;
    this.#storage = storage;
    this.#fetch = fetch;
    this.#timeoutMs = timeoutMs;
    this.#intervalMs = syncIntervalMs;
    this.#backoff = new Backoff(retry);
  }

  get hasModel() {
    return this.#current !== null;
  }

  /** Offline start: installs the last good model from storage, fully re-checked. */
  async restore() {
    if (!this.#storage) return false;
    try {
      const [current, previous, rejected] = await Promise.all(
        [STORAGE_KEYS.current, STORAGE_KEYS.previous, STORAGE_KEYS.rejected].map((key) => this.#storage.get(key)));
      if (Array.isArray(rejected)) this.#rejected = new Set(rejected.filter((sha) => typeof sha === 'string'));
      if (previous?.bytes instanceof Uint8Array) this.#previous = { ...previous, sha256: await sha256Hex(previous.bytes) };
      if (!(current?.bytes instanceof Uint8Array) || typeof current.manifestText !== 'string') return false;
      const record = { manifestText: current.manifestText, etag: current.etag ?? null, bytes: current.bytes };
      const { engine, payload } = await this.#prepare(record);
      this.#install(engine, { ...record, payload, sha256: payload.bundle.sha256 }, 'storage', false);
      return true;
    } catch (error) {
      // A stored model that no longer checks out is ignored; the network decides.
      this.#lastError = asShelfwiseError(storageError(error, 'reading the stored model'));
      return false;
    }
  }

  /** Never rejects: { updated, error }. Concurrent calls share one run. */
  sync() {
    if (this.#stopped) return Promise.resolve({ updated: false, error: new ShelfwiseError('NO_MODEL', 'this Personalizer is closed') });
    this.#inflight ??= this.#syncOnce()
      .then((updated) => {
        this.#backoff.success();
        this.#lastError = null;
        return { updated, error: null };
      }, (failure) => {
        const error = asShelfwiseError(failure);
        this.#lastError = error;
        const delay = this.#backoff.failure();
        if (!this.#stopped) this.#host.emit('error', { error, retryInMs: this.#intervalMs ? delay : null });
        return { updated: false, error, retryInMs: delay };
      })
      .then((result) => {
        this.#inflight = null;
        this.#lastCheckedAt = Date.now();
        if (this.#intervalMs && !this.#stopped) this.#schedule(result.error ? result.retryInMs : this.#intervalMs);
        return { updated: result.updated, error: result.error };
      });
    return this.#inflight;
  }

  /** Starts the page's schedule (syncIntervalMs); the first check happens after `firstDelayMs`. */
  start(firstDelayMs) {
    if (this.#intervalMs && !this.#stopped) this.#schedule(firstDelayMs);
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextSyncAt = null;
  }

  #schedule(delayMs) {
    clearTimeout(this.#timer);
    this.#nextSyncAt = Date.now() + delayMs;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.sync();
    }, delayMs);
    // A pending check must not keep a Node process or a test alive.
    this.#timer.unref?.();
  }

  async #syncOnce() {
    const headers = this.#current?.etag ? { 'If-None-Match': this.#current.etag } : {};
    const manifest = await fetchBytesWithin(this.#fetch, this.#manifestUrl,
      { timeoutMs: this.#timeoutMs, maxBytes: MAX_MANIFEST_BYTES, headers, what: 'manifest' });
    if (manifest.status === 304) return false;
    const manifestText = decodeManifest(manifest.bytes);
    const payload = await verifyManifest(manifestText, this.#publicKey);
    this.#checkSuccession(payload);
    const sha256 = payload.bundle.sha256;
    if (sha256 === this.#current?.sha256) {
      // Same bundle, newer manifest (re-signed or rolled back to it): remember it, nothing to load.
      this.#current = { ...this.#current, manifestText, payload, etag: manifest.etag };
      await this.#persist();
      return false;
    }
    if (this.#rejected.has(sha256)) return false;
    let bytes = this.#previous?.sha256 === sha256 ? this.#previous.bytes : null;
    if (bytes === null) {
      const url = new URL(payload.bundle.url, this.#manifestUrl).href;
      const bundle = await fetchBytesWithin(this.#fetch, url,
        { timeoutMs: this.#timeoutMs, maxBytes: payload.bundle.size, what: 'bundle' }).catch((error) => {
        // More bytes than the signed size: not this bundle, whatever it is.
        if (error?.code === 'LIMIT_EXCEEDED') throw new ShelfwiseError('HASH_MISMATCH', error.message);
        throw error;
      });
      if (bundle.status !== 200) throw new ShelfwiseError('HTTP_ERROR', `bundle ${url} answered HTTP ${bundle.status}`);
      bytes = bundle.bytes;
    }
    const record = { manifestText, etag: manifest.etag, bytes };
    const { engine } = await this.#prepare(record, payload);
    this.#install(engine, { ...record, payload, sha256 }, 'network', true);
    await this.#persist();
    return true;
  }

  #checkSuccession(payload) {
    if (payload.channel !== this.#channel) {
      throw new ShelfwiseError('BAD_MANIFEST', `manifest is for channel '${payload.channel}', this Personalizer follows '${this.#channel}'`);
    }
    const current = this.#current?.payload.sequence ?? 0;
    if (payload.sequence < current) {
      throw new ShelfwiseError('STALE_MANIFEST', `manifest sequence ${payload.sequence} is older than the model in use (${current}): refusing a replayed or stale manifest`);
    }
  }

  /** Everything short of the swap. The caller owns the returned engine. */
  async #prepare(record, verifiedPayload = null) {
    const payload = verifiedPayload ?? await verifyManifest(record.manifestText, this.#publicKey);
    if (verifiedPayload === null) this.#checkChannel(payload);
    const { size, sha256 } = payload.bundle;
    if (record.bytes.byteLength < size) {
      throw new ShelfwiseError('TRUNCATED', `bundle truncated at byte ${record.bytes.byteLength} of ${size}`);
    }
    if (record.bytes.byteLength !== size) {
      throw new ShelfwiseError('HASH_MISMATCH', `bundle is ${record.bytes.byteLength} bytes; the manifest says ${size}`);
    }
    const actual = await sha256Hex(record.bytes);
    if (actual !== sha256) throw new ShelfwiseError('HASH_MISMATCH', `bundle SHA-256 is ${actual}; the manifest says ${sha256}`);
    const engine = loadCandidate(this.#core, record.bytes);
    try {
      checkCanaries(this.#core, engine, payload.canaries);
    } catch (error) {
      engine.delete();
      throw error;
    }
    return { engine, payload };
  }

  #checkChannel(payload) {
    if (payload.channel !== this.#channel) {
      throw new ShelfwiseError('BAD_MANIFEST', `stored manifest is for channel '${payload.channel}', not '${this.#channel}'`);
    }
  }

  #install(engine, record, source, keepPrevious) {
    const replaced = this.#current;
    if (keepPrevious && replaced) this.#previous = replaced;
    this.#current = record;
    this.#host.install(engine, { sha256: record.sha256, payload: record.payload });
    this.#host.emit('update', {
      source, version: record.payload.model.version, kind: record.payload.model.kind, sha256: record.sha256,
      sequence: record.payload.sequence, previousSha256: replaced?.sha256 ?? null,
    });
  }

  /** One step back to the previous good bundle, re-checked; that bundle is not re-taken from the channel. */
  async rollback() {
    if (this.#stopped) throw new ShelfwiseError('NO_MODEL', 'this Personalizer is closed');
    if (!this.#previous) throw new ShelfwiseError('NO_MODEL', 'there is no previous model to roll back to');
    const target = this.#previous;
    const { engine, payload } = await this.#prepare(target);
    const abandoned = this.#current;
    this.#rejected.add(abandoned.sha256);
    this.#previous = abandoned;
    this.#install(engine, { ...target, payload, sha256: payload.bundle.sha256 }, 'rollback', false);
    await this.#persist();
  }

  /** Writes the current and previous model; a failure is reported but the model in use stays. */
  async #persist() {
    if (!this.#storage) return;
    const entry = (record) => ({ manifestText: record.manifestText, etag: record.etag, bytes: record.bytes });
    try {
      await this.#storage.set(STORAGE_KEYS.current, entry(this.#current));
      if (this.#previous) await this.#storage.set(STORAGE_KEYS.previous, entry(this.#previous));
      await this.#storage.set(STORAGE_KEYS.rejected, [...this.#rejected]);
    } catch (error) {
      const coded = storageError(error, 'saving the model for offline start');
      this.#lastError = coded;
      this.#host.emit('error', { error: coded, retryInMs: null });
    }
  }

  /** Rewrites the model records, e.g. after the storage was cleared by erase(). */
  persist() {
    return this.#current ? this.#persist() : Promise.resolve();
  }

  status() {
    return {
      manifestUrl: this.#manifestUrl,
      channel: this.#channel,
      sequence: this.#current?.payload.sequence ?? null,
      lastCheckedAt: this.#lastCheckedAt,
      lastError: this.#lastError,
      consecutiveFailures: this.#backoff.failures,
      nextSyncInMs: this.#nextSyncAt === null ? null : Math.max(0, this.#nextSyncAt - Date.now()),
      previousSha256: this.#previous?.sha256 ?? null,
    };
  }
}
