// Types of the public shelfwise SDK.

export type EventType = 'view' | 'cart' | 'purchase';
export type Source = 'next' | 'related' | 'popular';

/** Stable codes from the core's table (core/include/shelfwise/error_codes.def). */
export type ErrorCode =
  | 'BAD_MAGIC' | 'UNSUPPORTED_VERSION' | 'TRUNCATED' | 'BAD_MANIFEST' | 'BAD_TENSOR'
  | 'CHECKSUM_MISMATCH' | 'NON_FINITE' | 'LIMIT_EXCEEDED' | 'SHAPE_MISMATCH' | 'INVALID_ARGUMENT'
  | 'UNKNOWN_ITEM' | 'PARSE_ERROR' | 'IO_ERROR' | 'NO_MODEL' | 'UNSUPPORTED_MODEL' | 'INTERNAL';

export class ShelfwiseError extends Error {
  readonly name: 'ShelfwiseError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string);
}

export type BundleSource = Uint8Array | ArrayBuffer | ArrayBufferView | string | URL;
export type WasmSource = string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module;

export interface CreateOptions {
  /** The model bundle (.swm): bytes or a URL (file: URLs and paths work in Node). */
  bundle: BundleSource;
  /** Where the core's .wasm comes from; default: the copy shipped beside the SDK. */
  wasm?: WasmSource;
  /** Events of the visit kept, oldest dropped first (default 200, at most 10000). */
  maxSessionEvents?: number;
  /** fetch implementation used for http(s) URLs. */
  fetch?: typeof fetch;
}

export interface TrackEvent {
  type?: EventType;
  itemId: string;
  /** Unix seconds; default now. */
  time?: number;
}

export interface Recommendation {
  itemId: string;
  score: number;
  /** Which signal produced it: the session's "what comes next" lists, "related" lists or popularity. */
  source: Source;
  /** The shopper's item that contributed most ("because you viewed X"), or null. */
  because: string | null;
}

export interface RecommendOptions {
  /** Number of results, 1..1000 (default 10). */
  k?: number;
  /** Item ids that must not appear. */
  exclude?: string[];
}

export interface SessionSnapshot {
  events: Array<{ type: EventType; itemId: string; time: number; known: boolean }>;
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
  itemCount: number;
  hasCatalog: boolean;
  manifest: Record<string, unknown>;
}

export class Personalizer {
  private constructor();
  static create(options: CreateOptions): Promise<Personalizer>;
  /** Replaces the model; on failure throws and the current model keeps serving. */
  loadBundle(bundle: BundleSource): Promise<void>;
  track(event: TrackEvent): { known: boolean };
  recommend(options?: RecommendOptions): Recommendation[];
  /** Items shown with `itemId`; an id unknown to the model gets popular items. */
  related(itemId: string, k?: number, options?: { exclude?: string[] }): Recommendation[];
  /** The model's time-decayed popularity ranking, independent of the visit ("trending"). */
  popular(options?: RecommendOptions): Recommendation[];
  /** The visit's intent; null when the model has no intent heads. */
  intent(): Intent | null;
  session(): SessionSnapshot;
  clearSession(): void;
  item(itemId: string): ItemAttributes | null;
  modelInfo(): ModelInfo;
  memoryStats(): { wasmHeapBytes: number };
  /** Idempotent; later calls throw NO_MODEL. */
  close(): void;
}
