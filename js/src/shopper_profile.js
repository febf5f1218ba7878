// Consent and the shopper's profile as one policy: what is recorded, what is stored, what other
// tabs are told, what export returns and what erase deletes. The Personalizer keeps the events in
// memory (its session); this decides what happens to them beyond the tab.
import { CONSENT_LEVELS, checkConsent } from './consent.js';
import { ProfileStore, mergeEvents } from './profile_store.js';
import { storageError } from './storage.js';

const EXPORT_FORMAT = 'shelfwise-profile-export';
const NO_RETENTION = Object.freeze({ maxEvents: Number.MAX_SAFE_INTEGER, maxAgeDays: Infinity });

export class ShopperProfile {
  #consent;
  #store = null;
  #host;
  #now;
  #pending = [];

  /**
   * @param host { events(), replaceEvents(events), mergeEvents(events), emit(type, detail), persistModel(),
   *   derived() -> { affinities, segment } computed from the events on the device }
   * @param options { consent, storage, retention, name, now() -> unix seconds }
   */
  constructor(host, { consent, storage, retention, name, now }) {
    this.#host = host;
    this.#consent = checkConsent(consent);
    this.#now = now;
    if (storage) {
      this.#store = new ProfileStore(storage, { name, retention, now, onMessage: (message) => this.#onMessage(message) });
    }
  }

  get consent() {
    return this.#consent;
  }

  get #storesEvents() {
    return this.#consent === 'full' && this.#store !== null;
  }

  /** With full consent, the stored events join the visit (from an earlier visit or another tab). */
  async start() {
    if (!this.#storesEvents) {
      // Storage may still hold a profile from before consent was narrowed on another page load.
      if (this.#store) await this.#store.remove().catch((error) => this.#reportStorage(error, 'removing the stored profile'));
      return;
    }
    try {
      this.#host.mergeEvents(await this.#store.load());
    } catch (error) {
      this.#reportStorage(error, 'reading the stored profile');
    }
  }

  /** An event the page tracked; with full consent it is stored and shared with the other tabs. */
  recorded(event) {
    if (!this.#storesEvents) return;
    // Events tracked in one task are written (and their affinities derived) once, after it.
    this.#pending.push(event);
    if (this.#pending.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush() {
    const events = this.#pending;
    this.#pending = [];
    if (!this.#storesEvents || events.length === 0) return;
    this.#store.append(events, this.#derived()).catch((error) => this.#reportStorage(error, 'storing the profile'));
  }

  // Affinities and segment live in the profile beside the events they come from.
  #derived() {
    try {
      return this.#host.derived?.() ?? null;
    } catch {
      return null;
    }
  }

  async setConsent(consent, { fromOtherTab = false } = {}) {
    checkConsent(consent);
    this.#consent = consent;
    if (consent !== 'full') this.#pending = [];
    if (consent === 'none') this.#host.replaceEvents([]);
    if (fromOtherTab || !this.#store) return;
    if (consent === 'full') await this.#store.append(this.#host.events(), this.#derived());
    else await this.#store.remove();
    this.#store.announce({ type: 'consent', consent });
  }

  /** Everything kept about the shopper, as JSON-compatible data. */
  async exportProfile() {
    const stored = this.#storesEvents ? await this.#store.load() : [];
    const events = this.#consent === 'none' ? [] : mergeEvents(stored, this.#host.events(), NO_RETENTION, this.#now());
    return {
      format: EXPORT_FORMAT,
      formatVersion: 1,
      exportedAt: new Date(this.#now() * 1000).toISOString(),
      consent: this.#consent,
      stored: this.#storesEvents,
      retention: this.#store ? { ...this.#store.retention } : null,
      events: events.map(({ id, type, itemId, time }) => ({ id, type, itemId, time })),
      // Derived on the device from those events; null when nothing is kept.
      ...(this.#consent === 'none' ? { affinities: null, segment: null } : this.#derived() ?? { affinities: null, segment: null }),
    };
  }

  /** Forgets the visit and wipes the storage (encryption keys included); the model cache is rewritten. */
  async erase() {
    this.#pending = [];
    this.#host.replaceEvents([]);
    if (!this.#store) return;
    await this.#store.remove({ clearStorage: true });
    this.#store.announce({ type: 'erase' });
    await this.#host.persistModel();
  }

  // Another tab's news; the page hears about it through a 'profile' event.
  #onMessage(message) {
    if (message?.type === 'events' && this.#consent === 'full' && Array.isArray(message.events)) this.#host.mergeEvents(message.events);
    else if (message?.type === 'erase') this.#host.replaceEvents([]);
    else if (message?.type === 'consent' && CONSENT_LEVELS.includes(message.consent)) {
      this.setConsent(message.consent, { fromOtherTab: true }).catch(() => {});
    } else return;
    this.#host.emit('profile', { change: message.type, consent: this.#consent });
  }

  #reportStorage(error, what) {
    this.#host.emit('error', { error: storageError(error, what), retryInMs: null });
  }

  close() {
    this.#store?.close();
  }
}
