// Browser storage: IndexedDB (through `idb`), every value encrypted at rest with AES-GCM under a
// 256-bit key that WebCrypto generates as non-extractable and IndexedDB keeps as a CryptoKey
// object, so neither page script nor someone reading the profile folder gets the raw key. The
// record's name is the additional authenticated data, so ciphertexts cannot be swapped between
// records. clear() deletes records and the key.
import { openDB } from 'idb';
import { ShelfwiseError } from './errors.js';
import { packValue, unpackValue } from './value_packing.js';

const RECORDS = 'records';
const KEYS = 'keys';
const KEY_NAME = 'aes-gcm';

export class IndexedDbStorage {
  #db;

  constructor(db) {
    this.#db = db;
  }

  /** Opens (or creates) the database `name` (default 'shelfwise'). */
  static async open({ name = 'shelfwise' } = {}) {
    if (typeof indexedDB === 'undefined') throw new ShelfwiseError('INVALID_ARGUMENT', 'IndexedDB is not available here: use MemoryStorage or your own storage');
    const db = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore(RECORDS);
        database.createObjectStore(KEYS);
      },
    });
    return new IndexedDbStorage(db);
  }

  // Read on every write, never cached: another tab's erase() may have deleted it since.
  async #cryptoKey() {
    const existing = await this.#db.get(KEYS, KEY_NAME);
    if (existing) return existing;
    // Generated before the transaction (which would close while awaiting WebCrypto); the
    // transaction then keeps whichever key got there first, so two tabs never split the data.
    const candidate = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const transaction = this.#db.transaction(KEYS, 'readwrite');
    const winner = await transaction.store.get(KEY_NAME);
    if (!winner) await transaction.store.add(candidate, KEY_NAME);
    await transaction.done;
    return winner ?? candidate;
  }

  async get(name) {
    const record = await this.#db.get(RECORDS, name);
    if (record === undefined) return undefined;
    const stored = await this.#db.get(KEYS, KEY_NAME);
    if (!stored) throw new ShelfwiseError('IO_ERROR', `stored '${name}' cannot be decrypted: its key is gone`);
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv, additionalData: new TextEncoder().encode(name) },
        stored, record.data);
      return unpackValue(plain);
    } catch (error) {
      throw new ShelfwiseError('IO_ERROR', `stored '${name}' fails authentication: ${error?.message ?? error}`);
    }
  }

  async set(name, value) {
    const key = await this.#cryptoKey();
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(name) }, key, packValue(value));
    await this.#db.put(RECORDS, { iv, data }, name);
  }

  async delete(name) {
    await this.#db.delete(RECORDS, name);
  }

  /** Everything, the encryption key included. */
  async clear() {
    const transaction = this.#db.transaction([RECORDS, KEYS], 'readwrite');
    await Promise.all([transaction.objectStore(RECORDS).clear(), transaction.objectStore(KEYS).clear(), transaction.done]);
  }

  close() {
    this.#db.close();
  }
}
