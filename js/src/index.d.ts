// Types of the public shelfwise SDK.

export type EventType = 'view' | 'cart' | 'purchase';
/**
 * Why an item was recommended: 'next' / 'related' — the neighbour lists of a session or context
 * item (named in `because`); 'popular' — popularity; 'page' — the page's own list (rerank);
 * 'pinned' — a pin rule; 'user' — a long-term user vector (reserved for a future model kind).
 */
export type Source = 'next' | 'related' | 'popular' | 'page' | 'pinned' | 'user';

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
}

export interface RerankOptions {
  /** Default 'category-rerank'. */
  slot?: StandardSlot | string;
  /** Default: all of the items (at most 1000). */
  k?: number;
  context?: RankingContext;
  rules?: Rules | string;
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
  /** The page's items (at most 1000) reordered for this shopper; only they come back. */
  rerank(items: string[], options?: RerankOptions): Recommendation[];
  /** Items shown with `itemId`; an id unknown to the model gets popular items. */
  related(itemId: string, k?: number, options?: { exclude?: string[] }): Recommendation[];
  /** The model's time-decayed popularity ranking, independent of the visit ("trending"). */
  popular(options?: { k?: number; exclude?: string[] }): Recommendation[];
  session(): SessionSnapshot;
  clearSession(): void;
  item(itemId: string): ItemAttributes | null;
  modelInfo(): ModelInfo;
  memoryStats(): { wasmHeapBytes: number };
  /** Idempotent; later calls throw NO_MODEL. */
  close(): void;
}
