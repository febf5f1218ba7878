// The one model of a worker isolate, shared by every request: the Personalizer from the SDK, run
// on the same core and .wasm as in a browser, with no storage and 'session-only' consent. Each
// request brings its own visit, passed to the rerank call itself (never tracked): nothing about a
// shopper outlives their request.
//
// Where the model comes from (bindings of the workerd config, js/edge/make_config.mjs):
//   MODEL          the .swm bytes bundled with the worker (a data binding), or
//   MANIFEST_URL   a signed channel manifest, verified exactly as the SDK does in a browser, with
//   PUBLIC_KEY     the publisher's SPKI PEM; the manifest is re-checked on a request at most every
//                  SYNC_INTERVAL_SECONDS (default 300) seconds, in the background of that request.
import { Personalizer } from '../src/personalizer.js';
import { ShelfwiseError } from '../src/errors.js';
import { HttpError } from './http_errors.js';

const DEFAULT_SYNC_INTERVAL_SECONDS = 300;

// workerd's fetch refuses the browser-only 'cache' and 'credentials' fields the SDK sets for pages
// (a worker's subrequests have neither an HTTP cache to bypass nor cookies to leave out).
function workerFetch(url, init = {}) {
  const { cache, credentials, ...rest } = init;
  return fetch(url, rest);
}

export class EdgeModel {
  #personalizer;
  #source;
  #syncIntervalMs;
  #lastCheck = 0;
  #lastResult = null;

  constructor(personalizer, source, syncIntervalMs) {
    this.#personalizer = personalizer;
    this.#source = source;
    this.#syncIntervalMs = syncIntervalMs;
    this.#lastCheck = Date.now();
  }

  /** 503 with the cause's code when no model can be had (bad bundle, manifest unreachable or forged). */
  static async open(env, wasm) {
    try {
      return await EdgeModel.#open(env, wasm);
    } catch (error) {
      const code = error instanceof ShelfwiseError ? error.code : 'INTERNAL';
      throw new HttpError(503, code, `the worker has no model: ${error?.message ?? error}`);
    }
  }

  static async #open(env, wasm) {
    if (env.MODEL) {
      const personalizer = await Personalizer.create({ bundle: new Uint8Array(env.MODEL), wasm, consent: 'session-only' });
      return new EdgeModel(personalizer, 'bundled', null);
    }
    if (env.MANIFEST_URL && env.PUBLIC_KEY) {
      const seconds = Number(env.SYNC_INTERVAL_SECONDS ?? DEFAULT_SYNC_INTERVAL_SECONDS);
      const personalizer = await Personalizer.create({
        manifestUrl: env.MANIFEST_URL, publicKey: env.PUBLIC_KEY, channel: env.CHANNEL ?? 'stable', wasm, consent: 'session-only',
        fetch: workerFetch,
      });
      return new EdgeModel(personalizer, 'synced', Math.max(1, seconds) * 1000);
    }
    throw new ShelfwiseError('NO_MODEL', 'the worker has neither a bundled MODEL nor MANIFEST_URL and PUBLIC_KEY');
  }

  /** Starts a manifest check in the background of this request when the last one is old enough. */
  maybeSync(ctx) {
    if (this.#syncIntervalMs === null || Date.now() - this.#lastCheck < this.#syncIntervalMs) return;
    this.#lastCheck = Date.now();
    ctx.waitUntil(this.#personalizer.sync().then(({ updated, error }) => {
      this.#lastResult = error ? `failed: ${error.code}` : updated ? 'updated' : 'up to date';
    }));
  }

  health() {
    const info = this.#personalizer.modelInfo();
    return {
      status: 'ok', model: info.version, kind: info.kind, items: info.itemCount, source: this.#source,
      ...(this.#source === 'synced' ? { lastCheck: new Date(this.#lastCheck).toISOString(), lastCheckResult: this.#lastResult } : {}),
    };
  }

  /** The reranked page for one request (rerank_request.js), with the explanation of each item. */
  rerank({ items, session, slot, k, rules, context }) {
    const personalizer = this.#personalizer;
    const unknown = items.filter((itemId) => !personalizer.knows(itemId));
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 5).map((itemId) => JSON.stringify(itemId)).join(', ');
      throw new HttpError(422, 'UNKNOWN_ITEM', `${unknown.length} of the items are not in model ${personalizer.modelInfo().version}: ${shown}${unknown.length > 5 ? ', ...' : ''}`);
    }
    // The visit goes with the call, not through track(): it is never recorded, so nothing of one
    // shopper is in the isolate when the next request runs.
    const results = personalizer.rerank(items, { slot, k, rules, context, visit: session });
    return {
      items: results.map((result) => result.itemId),
      explanations: results.map(({ itemId, source, because, score }) => ({ item: itemId, source, because, score })),
      model: personalizer.modelInfo().version,
    };
  }
}
