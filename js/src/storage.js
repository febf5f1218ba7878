// Where the SDK keeps things between visits: the last good model (and the one before it) and,
// with consent, the shopper's profile. Any object with these async methods will do:
//
//   get(key) -> value | undefined     set(key, value)     delete(key)     clear()   (everything, keys included)
//
// Values are structured-cloneable (plain objects, strings, numbers, Uint8Array). In Node and edge
// workers the store is in memory or supplied by the caller; browsers get IndexedDbStorage
// (indexeddb_storage.js), encrypted at rest.
import { ShelfwiseError } from './errors.js';

const METHODS = ['get', 'set', 'delete', 'clear'];

/** A Map behind the storage interface; values are copied in and out, as a real store would. */
export class MemoryStorage {
  #records = new Map();

  async get(key) {
    return this.#records.has(key) ? structuredClone(this.#records.get(key)) : undefined;
  }

  async set(key, value) {
    this.#records.set(key, structuredClone(value));
  }

  async delete(key) {
    this.#records.delete(key);
  }

  async clear() {
    this.#records.clear();
  }

  /** The stored keys (for tests and inspection). */
  keys() {
    return [...this.#records.keys()];
  }
}

/** INVALID_ARGUMENT unless `storage` has the four methods. */
export function checkStorage(storage) {
  if (storage === undefined || storage === null) return null;
  const missing = METHODS.filter((name) => typeof storage[name] !== 'function');
  if (missing.length > 0) throw new ShelfwiseError('INVALID_ARGUMENT', `storage lacks ${missing.join(', ')}(): see MemoryStorage for the interface`);
  return storage;
}

/** A storage failure as a coded error: STORAGE_FULL for quota errors, IO_ERROR otherwise. */
export function storageError(error, what) {
  if (error instanceof ShelfwiseError) return error;
  const full = error?.name === 'QuotaExceededError' || /quota/i.test(String(error?.message ?? ''));
  return new ShelfwiseError(full ? 'STORAGE_FULL' : 'IO_ERROR', `${what}: ${error?.message ?? error}`);
}
