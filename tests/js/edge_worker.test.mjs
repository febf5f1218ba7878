// The edge worker in real workerd (the npm package's binary), on a free loopback port: the API,
// the same answers as the SDK gives in Node on the same core and .wasm, the visit from the body,
// the header or the cookie, nothing kept between requests, and a 4xx JSON error (never a 500 or a
// hang) for every kind of bad request. Also the synced mode against a signed channel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Personalizer, encodeEdgeSession } from 'shelfwise';
import { readBundle, shopFixtures } from './fixtures.mjs';
import { startWorkerd } from '../../js/edge/workerd_process.mjs';

const CODES = readFileSync(new URL('../../core/include/shelfwise/error_codes.def', import.meta.url), 'utf8')
  .match(/"[A-Z_]+"\)/g).map((quoted) => quoted.slice(1, -2));

let worker;
let sdk;
let itemIds;
let fixtures;

before(async () => {
  fixtures = shopFixtures();
  worker = await startWorkerd({ model: fixtures.itemknn });
  sdk = await Personalizer.create({ bundle: readBundle(fixtures.itemknn) });
  itemIds = readFileSync(fixtures.shop.catalog, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]);
});

after(async () => {
  sdk?.close();
  await worker?.stop();
});

async function call(path, { method = 'POST', body, headers = {}, raw } = {}) {
  const response = await fetch(new URL(path, worker.url), {
    method,
    headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    signal: AbortSignal.timeout(10000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null };
}

/** What the SDK answers in Node for the same request. */
function sdkRerank(items, session, options) {
  sdk.clearSession();
  session.forEach((itemId, position) => sdk.track({ itemId, time: position + 1 }));
  const results = sdk.rerank(items, options);
  sdk.clearSession();
  return results;
}

describe('edge worker in workerd', () => {
  test('GET /health answers the model version', async () => {
    const { status, json } = await call('/health', { method: 'GET' });
    assert.equal(status, 200);
    assert.equal(json.model, 'knn-test-1');
    assert.equal(json.model, sdk.modelInfo().version);
    assert.equal(json.source, 'bundled');
    assert.equal(json.items, sdk.modelInfo().itemCount);
  });

  test('POST /rerank reorders 200 candidates for the visit, as the SDK does, with explanations', async () => {
    const items = itemIds.slice(0, 200);
    const session = [items[150], items[151], items[170]];
    const { status, json, headers } = await call('/rerank', { body: { items, session, slot: 'category-rerank', k: 20 } });
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.model, 'knn-test-1');
    assert.equal(json.items.length, 20);
    assert.equal(json.explanations.length, 20);
    assert.ok(json.items.every((itemId) => items.includes(itemId)));
    assert.equal(new Set(json.items).size, 20);
    const expected = sdkRerank(items, session, { slot: 'category-rerank', k: 20 });
    assert.deepEqual(json.items, expected.map((result) => result.itemId), 'the same core and .wasm give the same order');
    assert.deepEqual(json.explanations.map((explanation) => explanation.because), expected.map((result) => result.because));
    assert.ok(json.explanations.some((explanation) => session.includes(explanation.because)), 'the visit explains some items');
    assert.deepEqual(Object.keys(json.explanations[0]).sort(), ['because', 'item', 'score', 'source']);
    assert.notDeepEqual(json.items, items.slice(0, 20), 'reranked, not the page order');
    assert.equal(headers.get('cache-control'), 'private, no-store');
  });

  test('the visit may come from the X-Shelfwise-Session header or the cookie the SDK writes', async () => {
    const items = itemIds.slice(0, 200);
    const session = [items[10], items[11]];
    const fromBody = await call('/rerank', { body: { items, session, k: 30 } });
    const compact = encodeEdgeSession(session.map((itemId) => ({ type: 'view', itemId })));
    assert.match(compact, /^1\|v[^|]+\|v[^|]+$/);
    const fromHeader = await call('/rerank', { body: { items, k: 30 }, headers: { 'x-shelfwise-session': compact } });
    const fromCookie = await call('/rerank', { body: { items, k: 30 }, headers: { cookie: `other=1; shelfwise_session=${compact}` } });
    assert.equal(fromHeader.status, 200);
    assert.deepEqual(fromHeader.json.items, fromBody.json.items);
    assert.deepEqual(fromCookie.json.items, fromBody.json.items);
  });

  test('business rules apply, and nothing of one request is kept for the next', async () => {
    const items = itemIds.slice(0, 100);
    const pinned = items[99];
    const ruled = await call('/rerank', { body: { items, session: [items[5]], k: 10, rules: { pin: [{ item: pinned, position: 1 }] } } });
    assert.equal(ruled.status, 200);
    assert.equal(ruled.json.items[0], pinned);
    assert.equal(ruled.json.explanations[0].source, 'pinned');
    const anonymous = await call('/rerank', { body: { items, k: 10 } });
    const personal = await call('/rerank', { body: { items, session: [items[40], items[41]], k: 10 } });
    const anonymousAgain = await call('/rerank', { body: { items, k: 10 } });
    assert.notDeepEqual(personal.json.items, anonymous.json.items);
    assert.deepEqual(anonymousAgain.json.items, anonymous.json.items, 'the previous visit left no trace');
    assert.ok(anonymousAgain.json.explanations.every((explanation) => explanation.because === null));
  });

  test('every bad request gets a 4xx with a JSON error and a core code, never a 500 or a hang', async () => {
    const items = itemIds.slice(0, 50);
    const huge = 'x'.repeat(20 * 1024);
    const cases = [
      ['malformed JSON', '/rerank', { raw: '{"items": [' }, 400, 'PARSE_ERROR'],
      ['not an object', '/rerank', { body: [1, 2] }, 400, 'INVALID_ARGUMENT'],
      ['no items', '/rerank', { body: { session: [] } }, 400, 'INVALID_ARGUMENT'],
      ['unknown field', '/rerank', { body: { items, kk: 3 } }, 400, 'INVALID_ARGUMENT'],
      ['item not a string', '/rerank', { body: { items: [1, 2] } }, 400, 'INVALID_ARGUMENT'],
      ['too many candidates', '/rerank', { body: { items: Array.from({ length: 1001 }, (_, index) => itemIds[index % itemIds.length]) } }, 413, 'LIMIT_EXCEEDED'],
      ['unknown ids', '/rerank', { body: { items: [...items, 'NOT-A-SKU'] } }, 422, 'UNKNOWN_ITEM'],
      ['k too large', '/rerank', { body: { items, k: 5000 } }, 413, 'LIMIT_EXCEEDED'],
      ['k not an integer', '/rerank', { body: { items, k: 2.5 } }, 400, 'INVALID_ARGUMENT'],
      ['unknown slot', '/rerank', { body: { items, slot: 'nope' } }, 400, 'INVALID_ARGUMENT'],
      ['malformed rules', '/rerank', { body: { items, rules: '{"pin": [' } }, 400, 'PARSE_ERROR'],
      ['bad rule value', '/rerank', { body: { items, rules: { pin: [{ item: items[0], position: 0 }] } } }, 400, 'INVALID_ARGUMENT'],
      ['unknown rule', '/rerank', { body: { items, rules: { boots: [] } } }, 400, 'INVALID_ARGUMENT'],
      ['malformed session header', '/rerank', { body: { items }, headers: { 'x-shelfwise-session': '1|xSKU' } }, 400, 'PARSE_ERROR'],
      ['too long a session', '/rerank', { body: { items, session: Array(201).fill(items[0]) } }, 413, 'LIMIT_EXCEEDED'],
      ['huge headers', '/rerank', { body: { items }, headers: { 'x-padding': huge } }, 431, 'LIMIT_EXCEEDED'],
      ['huge body', '/rerank', { raw: JSON.stringify({ items, padding: 'y'.repeat(600 * 1024) }) }, 413, 'LIMIT_EXCEEDED'],
      ['not JSON content', '/rerank', { raw: 'items=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'INVALID_ARGUMENT'],
      ['wrong method', '/rerank', { method: 'GET' }, 405, 'METHOD_NOT_ALLOWED'],
      ['wrong method on health', '/health', { method: 'DELETE' }, 405, 'METHOD_NOT_ALLOWED'],
      ['wrong path', '/admin', { method: 'GET' }, 404, 'NOT_FOUND'],
    ];
    for (const [what, path, request, status, code] of cases) {
      const started = Date.now();
      const answer = await call(path, request);
      assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.json)}`);
      assert.equal(answer.json?.error?.code, code, what);
      assert.equal(typeof answer.json.error.message, 'string', what);
      assert.ok(CODES.includes(answer.json.error.code), `${what}: ${answer.json.error.code} is a core code`);
      assert.ok(Date.now() - started < 5000, `${what}: answered in time`);
    }
    const stillServing = await call('/health', { method: 'GET' });
    assert.equal(stillServing.status, 200);
  });

  test('thousands of random and mutated bodies: every answer is a 200 or a 4xx JSON error, never a 500 or a hang', async () => {
    // A seeded generator, so a failure names a reproducible case: valid requests, then field
    // replacements with values of every JSON type, unknown and prototype keys, hostile strings,
    // deep nesting, and byte-level damage to the serialised text.
    let state = 0x5eed1e55;
    const random = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const below = (n) => Math.floor(random() * n);
    const pick = (values) => values[below(values.length)];
    const categories = ['shoes', 'books', 'sale', 'nope', ''];
    const strings = () => ['', 'A', '\u0000', '\ud800', '\u{1f4a5}', '__proto__', 'constructor', 'toString', 'view', 'cart',
      'x'.repeat(257), 'category-rerank', 'home', pick(itemIds), '{"pin": [', '{}', '1|vSKU'];
    const scalars = () => [null, true, false, 0, -1, 1, 2.5, 1e308, -1e-308, 2 ** 53, 2 ** 64, 1000, 1001, ...strings()];
    const value = (depth = 0) => {
      const roll = random();
      if (depth > 3 || roll < 0.55) return pick(scalars());
      if (roll < 0.8) return Array.from({ length: below(5) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: below(4) }, () => [pick([...strings(), 'items', 'filter', 'pin', 'k']), value(depth + 1)]));
    };
    const rules = () => pick([
      {}, { filter: { categories: [pick(categories)], price: { min: below(50), max: below(500) }, available: random() < 0.5 } },
      { exclude: { purchased: true, in_cart: random() < 0.5, items: [pick(itemIds)] } },
      { boost: [{ categories: [pick(categories)], factor: pick([0.5, 2, 100, 0, 101, -1]) }] },
      { pin: [{ item: pick(itemIds), position: pick([1, 2, 0, 1.5, 1e9]) }] },
      { max_per_category: pick([0, 1, 3, -1, 2.5]) }, { diversity: { lambda: pick([0, 0.7, 1, 2]) } },
      { weights: { session: 1, context: pick([0, 0.5, -1]), popular: 0.2, page: 0.1, user: 0 } },
    ]);
    const valid = () => {
      const items = Array.from({ length: 1 + below(40) }, () => pick(itemIds));
      const body = { items };
      if (random() < 0.6) body.session = Array.from({ length: below(6) }, () => (random() < 0.5 ? pick(itemIds) : { itemId: pick(itemIds), type: pick(['view', 'cart', 'purchase']) }));
      if (random() < 0.5) body.slot = pick(['category-rerank', 'home', 'product-page', 'cart']);
      if (random() < 0.5) body.k = 1 + below(items.length + 5);
      if (random() < 0.5) body.rules = random() < 0.3 ? JSON.stringify(rules()) : rules();
      if (random() < 0.3) body.context = { itemId: pick(itemIds) };
      return body;
    };
    const mutate = (body) => {
      for (let step = below(4); step >= 0; step -= 1) {
        const key = pick(['items', 'session', 'slot', 'k', 'rules', 'context', pick(strings())]);
        const roll = random();
        if (roll < 0.3) body[key] = value();
        else if (roll < 0.45) delete body[key];
        else if (Array.isArray(body[key]) && body[key].length > 0) body[key][below(body[key].length)] = value();
        else if (body[key] !== null && typeof body[key] === 'object') body[key][pick([...strings(), 'itemId', 'items', 'filter', 'pin'])] = value();
        else body[key] = value();
      }
      return body;
    };
    const damage = (text) => {
      const at = below(text.length + 1);
      return pick([
        () => text.slice(0, at),
        () => text.slice(0, at) + pick(['{', '[', '"', ',', '\\', '}', ']', ':', '\u0000', 'null', '1e999']) + text.slice(at),
        () => text.slice(0, at) + text.slice(at + 1 + below(8)),
        () => text + text.slice(at),
      ])();
    };
    const deep = () => {
      const depth = pick([9, 100, 10000, 100000]);
      const where = pick(['rules', 'context', 'session', 'k']);
      return `{"items": [${JSON.stringify(itemIds[0])}], "${where}": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
    };
    const counts = new Map();
    const total = 2000;
    for (let index = 0; index < total; index += 1) {
      const roll = random();
      const raw = roll < 0.01 ? deep() : roll < 0.2 ? damage(JSON.stringify(mutate(valid()))) : JSON.stringify(random() < 0.2 ? valid() : mutate(valid()));
      const started = Date.now();
      const answer = await call('/rerank', { raw });
      const what = `case ${index}: ${raw.length > 300 ? `${raw.slice(0, 300)}...` : raw} -> ${answer.status} ${JSON.stringify(answer.json)?.slice(0, 300)}`;
      assert.ok(Date.now() - started < 5000, `${what}: answered in time`);
      assert.ok(answer.status === 200 || (answer.status >= 400 && answer.status < 500), what);
      if (answer.status === 200) {
        assert.ok(Array.isArray(answer.json.items) && answer.json.items.every((itemId) => typeof itemId === 'string'), what);
        assert.equal(new Set(answer.json.items).size, answer.json.items.length, what);
      } else {
        assert.ok(CODES.includes(answer.json?.error?.code), what);
        assert.equal(typeof answer.json.error.message, 'string', what);
      }
      const key = answer.status === 200 ? '200' : `${answer.status} ${answer.json.error.code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    console.log(`edge property test: ${total} bodies: ${[...counts].sort().map(([key, count]) => `${key} x${count}`).join(', ')}`);
    assert.ok((counts.get('200') ?? 0) > total / 10, 'enough bodies were valid to reach the core');
    assert.equal((await call('/health', { method: 'GET' })).status, 200, 'still serving');
  });

  test('a chunked body over the limit is cut off with a 413', async () => {
    // No Content-Length: the worker counts while reading and answers once past 512 KB; the client
    // may then fail to write the rest (EPIPE), which is the point.
    const { port } = new URL(worker.url);
    const answer = await new Promise((resolve, reject) => {
      let settled = false;
      const request = httpRequest({ host: '127.0.0.1', port, path: '/rerank', method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (response) => {
        let text = '';
        response.on('data', (chunk) => { text += chunk; });
        response.on('end', () => { settled = true; resolve({ status: response.statusCode, json: JSON.parse(text) }); });
      });
      request.on('error', (error) => { if (!settled) setTimeout(() => { if (!settled) reject(error); }, 2000); });
      request.setTimeout(10000, () => request.destroy(new Error('no answer within 10 s')));
      const chunk = `{"items": ["${'z'.repeat(64 * 1024)}`;
      let sent = 0;
      const writeMore = () => {
        while (sent < 16 && !request.destroyed) {
          sent += 1;
          if (!request.write(chunk)) {
            request.once('drain', writeMore);
            return;
          }
        }
        if (!request.destroyed) request.end();
      };
      writeMore();
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.json.error.code, 'LIMIT_EXCEEDED');
  });

  test('a request head too big for workerd itself is refused by the runtime with a 431, without a hang', async () => {
    // Up to a few hundred KB the worker sees the headers and answers its JSON 431 (above); beyond
    // workerd's own head limit the runtime answers before any worker code runs (text/plain).
    const { port } = new URL(worker.url);
    const status = await new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/rerank', method: 'POST',
        headers: { 'content-type': 'application/json', 'x-padding': 'x'.repeat(1024 * 1024) } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      });
      request.on('error', reject);
      request.setTimeout(10000, () => request.destroy(new Error('no answer within 10 s')));
      request.end('{"items": []}');
    });
    assert.equal(status, 431);
    assert.equal((await call('/health', { method: 'GET' })).status, 200, 'still serving');
  });

  test('the worker bundle (worker + wasm + model) is well under 3 MB gzip', () => {
    assert.ok(worker.size.gzip < 3 * 1024 * 1024, `${worker.size.gzip} bytes gzip`);
    console.log(`edge bundle (400-item test model): ${worker.size.files} files, ${worker.size.raw} bytes, ${worker.size.gzip} gzip -9`);
  });
});
