// Types of the public shelfwise SDK.

export type EventType = 'view' | 'cart' | 'purchase';
/**
 * Why an item was recommended: 'next' / 'related' — the neighbour lists of a session or context
 * item (named in `because`); 'popular' — popularity; 'page' — the page's own list (rerank);
 * 'pinned' — a pin rule; 'user' — the shopper's long-term user vector, folded in on the device from
 * their history (stored profile + visit) with the bundle's matrix-factorisation item factors
 * (`because` names the history item contributing most). Bundles without item factors never say it.
 * 'together' — the "frequently bought together" list of `because` (boughtTogether()).
 */
export type Source = 'next' | 'related' | 'popular' | 'page' | 'pinned' | 'user' | 'together';

/** Recipe names of every bundle; a bundle's manifest may add more. */
export type StandardSlot = 'home' | 'product-page' | 'cart' | 'category-rerank';

/** Candidate sources a recipe blends; each source's scores are normalised to [0, 1] first. */
export interface SourceWeights {
  session?: number;
  context?: number;
  popular?: number;
  page?: number;
  user?: number;
}

/** Catalogue tests; every listed test must hold. Unknown attributes never match. */
export interface AttributeCondition {
  categories?: string[];
  price?: { min?: number; max?: number };
  available?: boolean;
  items?: string[];
}

/**
 * Business rules, applied by the core in this order: filter, exclude, boost, pin,
 * max_per_category, diversity, then deduplication. The same JSON works in an edge worker.
 * Bad values throw INVALID_ARGUMENT naming the field; oversized lists LIMIT_EXCEEDED.
 */
export interface Rules {
  filter?: { categories?: string[]; exclude_categories?: string[]; price?: { min?: number; max?: number }; available?: boolean };
  /** Defaults per recipe (every standard recipe hides purchases; "cart" also hides the cart). */
  exclude?: { purchased?: boolean; in_cart?: boolean; items?: string[] };
  /** score *= factor (0 < factor <= 100) for each matching rule; factors multiply. */
  boost?: Array<AttributeCondition & { factor: number }>;
  /** position is 1-based; a pin obeys filter and exclude. */
  pin?: Array<{ item: string; position: number }>;
  max_per_category?: number;
  /** Maximal marginal relevance; 1 = relevance only, 0 = variety only. */
  diversity?: { lambda: number };
  /** Overrides the recipe's weights for this call. */
  weights?: SourceWeights;
}

export interface RankingContext {
  /** The product on the page, or the item just added to the cart. */
  itemId?: string;
  /** Several context items (at most 50 in all). */
  items?: string[];
}

/** Stable codes from the core's table (core/include/shelfwise/error_codes.def). */
export type ErrorCode =
  | 'BAD_MAGIC' | 'UNSUPPORTED_VERSION' | 'TRUNCATED' | 'BAD_MANIFEST' | 'BAD_TENSOR'
  | 'CHECKSUM_MISMATCH' | 'NON_FINITE' | 'LIMIT_EXCEEDED' | 'SHAPE_MISMATCH' | 'INVALID_ARGUMENT'
  | 'UNKNOWN_ITEM' | 'PARSE_ERROR' | 'IO_ERROR' | 'NO_MODEL' | 'UNSUPPORTED_MODEL' | 'INTERNAL'
  | 'BAD_SIGNATURE' | 'HASH_MISMATCH' | 'CANARY_MISMATCH' | 'SDK_TOO_OLD' | 'TIMEOUT' | 'HTTP_ERROR'
  | 'STORAGE_FULL' | 'STALE_MANIFEST';

export class ShelfwiseError extends Error {
  readonly name: 'ShelfwiseError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string);
}

export type BundleSource = Uint8Array | ArrayBuffer | ArrayBufferView | string | URL;
export type WasmSource = string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module;

/**
 * Where the SDK keeps the last good model (and, with consent, the profile) between visits.
 * Values are structured-cloneable; `clear()` removes everything, encryption keys included.
 */
export interface KeyValueStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  clear(): Promise<void>;
}

/** In-memory storage (Node, workers, tests). */
export class MemoryStorage implements KeyValueStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  clear(): Promise<void>;
  keys(): string[];
}

/**
 * Browser storage: IndexedDB (through idb), every value encrypted at rest with AES-GCM under a
 * non-extractable WebCrypto key kept in the same database. clear() deletes the key too.
 */
export class IndexedDbStorage implements KeyValueStorage {
  static open(options?: { name?: string }): Promise<IndexedDbStorage>;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  clear(): Promise<void>;
  close(): void;
}

/**
 * 'none': nothing is kept, only non-personal results; 'session-only': the visit in the tab's
 * memory; 'full': also stored on the device (in `storage`) and shared by the shop's tabs.
 */
export type Consent = 'none' | 'session-only' | 'full';

/** Limits applied every time the profile is written (defaults 1000 events, 90 days). */
export interface Retention {
  maxEvents?: number;
  maxAgeDays?: number;
}

export interface ProfileExport {
  format: 'shelfwise-profile-export';
  formatVersion: 1;
  exportedAt: string;
  consent: Consent;
  /** Whether the profile is written to storage. */
  stored: boolean;
  retention: Required<Retention> | null;
  events: Array<{ id: string; type: EventType; itemId: string; time: number }>;
  /** Derived on the device from the events (null when consent is 'none' or the model has none). */
  affinities: Affinities | null;
  segment: Segment | null;
}

/** The device the page reports; a behaviour feature (unknown when not given). */
export type Device = 'desktop' | 'mobile' | 'tablet';

/** When and where behaviour is taken; every field defaults (now, the local hour of now, the device given to create()/track()). */
export interface BehaviourOptions {
  /** Unix seconds. */
  now?: number;
  /** The shopper's local hour, 0 <= hour < 24. */
  hour?: number;
  device?: Device;
}

/**
 * Behaviour features by name, as the bundle's trainer computed them: "category.<name>" shares,
 * "price.log_mean", "price.relative", "recency.log_days", "frequency.log_visits",
 * "frequency.log_events", "visit.log_events", "visit.log_minutes", "visit.cart_ratio", "ratio.cart",
 * "ratio.purchase", "history.purchase_visits", "device.desktop|mobile|tablet", "time.hour_sin|hour_cos".
 * null = not known for this shopper.
 */
export type BehaviourFeatures = Record<string, number | null>;

export interface SegmentTrait {
  /** A behaviour feature name. */
  feature: string;
  /** The segment centre's value in standard deviations from the mean (+ above, - below). */
  z: number;
}

export interface Segment {
  /** 0 .. k-1: the nearest centroid. */
  id: number;
  /** Euclidean distance (standardised units) to each of the k centroids; distances[id] is the least. */
  distances: number[];
  /** Share of the training shoppers' visits in this segment, or null if the bundle does not say. */
  share: number | null;
  /** What sets the segment apart (the trainer's description; up to 3). */
  traits: SegmentTrait[];
}

export interface Propensity {
  /** Calibrated probability of a purchase in this visit; null without a purchase model in the bundle. */
  purchase: number | null;
  /** Calibrated probability that the shopper comes back within the trained horizon; null without a model. */
  return: number | null;
}

export interface AffinityEntry {
  /** Time-decayed weight (view 1, cart 3, purchase 5, halved every halfLifeDays). */
  score: number;
  /** score / the sum of scores. */
  share: number;
}

export interface Affinities {
  /** Categories with a positive score, the strongest first. */
  categories: Array<AffinityEntry & { category: string }>;
  /** Price level relative to each category's median price: below -18% budget, above +22% premium. */
  priceLevels: Array<AffinityEntry & { level: 'budget' | 'mid' | 'premium' }>;
  halfLifeDays: number;
  /** Events that counted. */
  events: number;
}

/** The version of this SDK, compared with a manifest's min_sdk_version. */
export const SDK_VERSION: string;

export interface SyncOptions {
  /**
   * The channel's signed manifest.json (http or https), or the published folder when it ends with
   * '/' (then `${channel}/manifest.json` inside it).
   */
  manifestUrl: string | URL;
  /** ECDSA P-256 public key: SPKI PEM text (public-key.pem from `shelfwise keygen`) or a CryptoKey. */
  publicKey: string | CryptoKey;
  /** The channel followed; a manifest signed for another channel is refused. Default 'stable'. */
  channel?: string;
  /** Last good model (for offline start) and the previous one (for rollback()); see KeyValueStorage. */
  storage?: KeyValueStorage;
  /** The page's schedule: check the manifest every this many ms (default: only when sync() is called). */
  syncIntervalMs?: number;
  /** Deadline for each download, headers and body (default 30000). */
  timeoutMs?: number;
  /** Backoff of scheduled checks after failures: about initialDelayMs * 2^(n-1), capped (defaults 1000 and 300000). */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
}

export interface CreateOptions extends Partial<SyncOptions> {
  /**
   * The model bundle (.swm): bytes or a URL (file: URLs and paths work in Node, where the file is
   * read straight into the core's memory: the fastest start). Required unless
   * manifestUrl is given; with manifestUrl it is the fallback used when storage holds no model.
   */
  bundle?: BundleSource;
  /** Where the core's .wasm comes from; default: the copy shipped beside the SDK. */
  wasm?: WasmSource;
  /** Events of the visit kept, oldest dropped first (default 200, at most 10000). */
  maxSessionEvents?: number;
  /**
   * Events (stored profile + this visit) folded into the long-term user vector, the ranker's
   * `user` source with bundles that carry item factors; oldest dropped first (default 1000, at
   * most 100000). The vector is computed in wasm memory and never leaves the device.
   */
  maxHistoryEvents?: number;
  /** fetch implementation used for http(s) URLs. */
  fetch?: typeof fetch;
  /** The shopper's choice, passed by the page (default 'session-only'); change it with setConsent(). */
  consent?: Consent;
  /** Retention of the stored profile, enforced on write. */
  retention?: Retention;
  /** Tabs with the same profileName (and storage) share one profile; default 'shelfwise'. */
  profileName?: string;
  /** The shopper's device (a behaviour feature); track({ device }) may change it later. */
  device?: Device;
  /** Half-life of the long-term affinities in days (default 30). */
  affinityHalfLifeDays?: number;
}

export interface TrackEvent {
  type?: EventType;
  itemId: string;
  /** Unix seconds; default now. */
  time?: number;
  /** The shopper's device from now on (not stored with the event). */
  device?: Device;
}

export interface Recommendation {
  itemId: string;
  score: number;
  /** Which signal produced it: the session's "what comes next" lists, "related" lists or popularity. */
  source: Source;
  /** The shopper's (or the context's) item that contributed most ("because you viewed X"), or null. */
  because: string | null;
}

export interface RecommendOptions {
  /** The recipe to rank with; without it, the session model alone (context and rules need a slot). */
  slot?: StandardSlot | string;
  /** Number of results, 1..1000 (default 10). */
  k?: number;
  /** Items on the page the recommendation is about; never recommended themselves. */
  context?: RankingContext;
  /** Business rules (an object, or its JSON text). */
  rules?: Rules | string;
  /** Item ids that must not appear. */
  exclude?: string[];
  /** Rank for this visit instead of the tracked one (see RerankOptions.visit). */
  visit?: VisitEvent[];
}

/**
 * An event of a visit passed with the call: an item id (a view) or { itemId, type }, oldest first.
 * Such a visit is never tracked, kept or stored; ids the model does not know are skipped, and
 * with consent 'none' it is ignored. At most maxSessionEvents (default 200).
 */
export type VisitEvent = string | { itemId: string; type?: EventType };

export interface RerankOptions {
  /** Default 'category-rerank'. */
  slot?: StandardSlot | string;
  /** Default: all of the items (at most 1000). */
  k?: number;
  context?: RankingContext;
  rules?: Rules | string;
  exclude?: string[];
  /** Rank for this visit instead of the tracked one, e.g. in an edge worker serving many shoppers. */
  visit?: VisitEvent[];
}

export interface SessionSnapshot {
  events: Array<{ id: string; type: EventType; itemId: string; time: number; known: boolean }>;
  maxEvents: number;
}

export interface ItemAttributes {
  itemId: string;
  title: string;
  category: string;
  price: number | null;
  available: boolean;
}

export type ShoppingStage = 'browsing' | 'comparing' | 'about_to_buy';

/** The visit's intent, from heads trained with `shelfwise train --intent`. */
export interface Intent {
  /** Probability that the visit ends in a purchase (1 once it holds one). */
  purchaseProbability: number;
  /** The most probable stage. */
  stage: ShoppingStage;
  /** Probability of each stage (they sum to 1). */
  stages: Record<ShoppingStage, number>;
  /** The category the visit is heading to; null without a catalogue or before any known event. */
  category: string | null;
  categoryProbability: number | null;
}

export interface ModelInfo {
  kind: string;
  version: string;
  /** SHA-256 (hex) of the bundle in use; null only where WebCrypto is unavailable (insecure pages). */
  sha256: string | null;
  itemCount: number;
  hasCatalog: boolean;
  manifest: Record<string, unknown>;
}

export interface SyncResult {
  updated: boolean;
  error: ShelfwiseError | null;
}

export interface SyncStatus {
  manifestUrl: string;
  channel: string;
  /** The manifest sequence of the model in use. */
  sequence: number | null;
  lastCheckedAt: number | null;
  lastError: ShelfwiseError | null;
  consecutiveFailures: number;
  /** Time to the next scheduled check, or null without a schedule. */
  nextSyncInMs: number | null;
  previousSha256: string | null;
}

export interface UpdateDetail {
  source: 'network' | 'storage' | 'rollback';
  version: string;
  kind: string;
  sha256: string;
  sequence: number;
  previousSha256: string | null;
}

/** Dispatched by a Personalizer: 'update' (a new model is live) and 'error' (sync failed; the model in use stays). */
export class PersonalizerEvent extends Event {
  readonly detail: UpdateDetail | { error: ShelfwiseError; retryInMs: number | null };
  /** The failure, for 'error' events; null otherwise. */
  readonly error: ShelfwiseError | null;
}

export class Personalizer extends EventTarget {
  private constructor();
  static create(options: CreateOptions): Promise<Personalizer>;
  /**
   * Checks the manifest now; a new bundle is downloaded, size- and hash-checked, validated by the
   * core and its canaries replayed before it replaces the model between two calls. Never rejects.
   */
  sync(): Promise<SyncResult>;
  /** Back to the previous good model (kept locally); rejects with NO_MODEL when there is none. */
  rollback(): Promise<void>;
  /** Null when created without manifestUrl. */
  syncStatus(): SyncStatus | null;
  /** 'profile': another tab changed the shared profile or the consent (detail { change, consent }). */
  addEventListener(type: 'update' | 'error' | 'profile', listener: (event: PersonalizerEvent) => void, options?: boolean | AddEventListenerOptions): void;
  removeEventListener(type: 'update' | 'error' | 'profile', listener: (event: PersonalizerEvent) => void, options?: boolean | EventListenerOptions): void;
  /** Replaces the model; on failure throws and the current model keeps serving. */
  loadBundle(bundle: BundleSource): Promise<void>;
  track(event: TrackEvent): { known: boolean };
  recommend(options?: RecommendOptions): Recommendation[];
  /** The page's items (at most 1000) reordered for this shopper; only they come back. */
  rerank(items: string[], options?: RerankOptions): Recommendation[];
  /** Items shown with `itemId`; an id unknown to the model gets popular items. */
  related(itemId: string, k?: number, options?: { exclude?: string[] }): Recommendation[];
  /**
   * Items carted or bought in the same sessions as `itemId`, from the bundle's optional co-purchase
   * lists; never padded: [] when there is no such evidence, no such lists or the id is unknown.
   */
  boughtTogether(itemId: string, k?: number, options?: { exclude?: string[] }): Recommendation[];
  /** The visit in the edge worker's compact format (README "Edge worker"), or null when consent is 'none'. */
  edgeSession(options?: EdgeSessionOptions): string | null;
  /**
   * Browsers: writes the first-party cookie the edge worker reads the visit from, or deletes it when
   * consent is 'none'; returns whether a cookie now holds the visit.
   */
  writeEdgeSessionCookie(options?: EdgeSessionOptions & EdgeSessionCookieOptions): boolean;
  /** Whether the model in use knows `itemId`. */
  knows(itemId: string): boolean;
  /** The model's time-decayed popularity ranking, independent of the visit ("trending"). */
  popular(options?: { k?: number; exclude?: string[] }): Recommendation[];
  /** The visit's intent; null when the model has no intent heads. */
  intent(): Intent | null;
  session(): SessionSnapshot;
  /** Behaviour features from the profile's events (stored and this visit's), computed on the device. */
  features(options?: BehaviourOptions): BehaviourFeatures;
  /** The shopper's micro-segment, assigned on the device; null when the bundle has no segments. */
  segment(options?: BehaviourOptions): Segment | null;
  /** Calibrated purchase / return probabilities, computed on the device. */
  propensity(options?: BehaviourOptions): Propensity;
  /** Long-term affinities kept in the profile (read-only); null when the bundle has no catalogue. */
  affinities(options?: BehaviourOptions): Affinities | null;
  /** Forgets the visit and the history folded into the user vector (stored events come back at the next start). */
  clearSession(): void;
  consent(): Consent;
  /** Takes effect at once; narrowing it deletes what it no longer allows. Other tabs follow. */
  setConsent(consent: Consent): Promise<void>;
  /** Everything kept about the shopper (data portability). */
  exportProfile(): Promise<ProfileExport>;
  /** Deletes everything kept about the shopper, in memory and storage, encryption keys included. */
  erase(): Promise<void>;
  item(itemId: string): ItemAttributes | null;
  modelInfo(): ModelInfo;
  memoryStats(): { wasmHeapBytes: number };
  /** Idempotent; later calls throw NO_MODEL. */
  close(): void;
}

export interface EdgeSessionOptions {
  /** Latest events kept, default 20 (at most 200). */
  maxEvents?: number;
  /** Characters at most (oldest events dropped first), default 1024. */
  maxLength?: number;
}

export interface EdgeSessionCookieOptions {
  /** Default 'shelfwise_session'. */
  name?: string;
  path?: string;
  domain?: string;
  sameSite?: 'Lax' | 'Strict';
  /** Default: when the page is served over https. */
  secure?: boolean;
}

/** Version-1 compact visit text: '1|vSKU-1|cSKU-2' (type letter v/c/p + encodeURIComponent(id), oldest first). */
export function encodeEdgeSession(events: Array<{ type?: EventType; itemId: string }>, options?: EdgeSessionOptions): string;
/** The events of version-1 text; null for another version; throws PARSE_ERROR / LIMIT_EXCEEDED. */
export function decodeEdgeSession(text: string, options?: { maxEvents?: number }): Array<{ type: EventType; itemId: string }> | null;
export const EDGE_SESSION_COOKIE: 'shelfwise_session';
export const EDGE_SESSION_HEADER: 'X-Shelfwise-Session';
