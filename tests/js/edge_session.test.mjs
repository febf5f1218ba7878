// The SDK side of the edge: the compact visit text (round trip, limits, malformed input, consent)
// and "frequently bought together" through the real .wasm on a bundle the CLI trained.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Personalizer, ShelfwiseError, decodeEdgeSession, encodeEdgeSession } from 'shelfwise';
import { readBundle, shopFixtures } from './fixtures.mjs';

let personalizer;
let fixtures;

before(async () => {
  fixtures = shopFixtures();
  personalizer = await Personalizer.create({ bundle: readBundle(fixtures.itemknn) });
});

after(() => personalizer?.close());

function throwsCode(fn, code) {
  assert.throws(fn, (error) => error instanceof ShelfwiseError && error.code === code);
}

test('the compact visit text round-trips any item id and keeps only the latest events', () => {
  const events = [
    { type: 'view', itemId: 'SKU-1' }, { type: 'cart', itemId: 'a|b;c, d"e' }, { type: 'purchase', itemId: 'ü/€' },
  ];
  const text = encodeEdgeSession(events);
  assert.match(text, /^1\|vSKU-1\|c[^|;, "]+\|p[^|;, "]+$/);
  assert.match(text, /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/, 'cookie-safe characters only');
  assert.deepEqual(decodeEdgeSession(text), events);
  const many = Array.from({ length: 50 }, (_, index) => ({ type: 'view', itemId: `SKU-${index}` }));
  assert.deepEqual(decodeEdgeSession(encodeEdgeSession(many)).map((event) => event.itemId), many.slice(-20).map((event) => event.itemId));
  const short = encodeEdgeSession(many, { maxEvents: 50, maxLength: 40 });
  assert.ok(short.length <= 40);
  assert.equal(decodeEdgeSession(short).at(-1).itemId, 'SKU-49', 'the oldest go first');
  assert.equal(encodeEdgeSession([]), '1');
  assert.deepEqual(decodeEdgeSession('1'), []);
});

test('malformed text is PARSE_ERROR, too long LIMIT_EXCEEDED, another version is ignored', () => {
  throwsCode(() => decodeEdgeSession('1|xSKU'), 'PARSE_ERROR');
  throwsCode(() => decodeEdgeSession('1|v'), 'PARSE_ERROR');
  throwsCode(() => decodeEdgeSession('1|v%E0%A4%A'), 'PARSE_ERROR');
  throwsCode(() => decodeEdgeSession('hello'), 'PARSE_ERROR');
  throwsCode(() => decodeEdgeSession(`1${'|vA'.repeat(201)}`), 'LIMIT_EXCEEDED');
  assert.equal(decodeEdgeSession('2|whatever'), null);
  throwsCode(() => encodeEdgeSession([], { maxEvents: 0 }), 'INVALID_ARGUMENT');
});

test('edgeSession() follows consent; the cookie writer needs a page', async () => {
  const items = readFileSync(fixtures.shop.catalog, 'utf8').trim().split('\n').slice(1, 4).map((line) => line.split(',')[0]);
  const visitor = await Personalizer.create({ bundle: readBundle(fixtures.itemknn) });
  try {
    visitor.track({ itemId: items[0] });
    visitor.track({ type: 'cart', itemId: items[1] });
    assert.equal(visitor.edgeSession(), `1|v${items[0]}|c${items[1]}`);
    throwsCode(() => visitor.writeEdgeSessionCookie(), 'INVALID_ARGUMENT');
    await visitor.setConsent('none');
    assert.equal(visitor.edgeSession(), null, 'nothing leaves without consent');
  } finally {
    visitor.close();
  }
});

test('boughtTogether serves the co-purchase lists the trainer added, never padded', () => {
  // The pairs the training log carted or bought together, counted per session.
  const baskets = new Map();
  for (const line of readFileSync(fixtures.shop.train, 'utf8').trim().split('\n').slice(1)) {
    const [session, , itemId, , event] = line.split(',');
    if (event !== 'cart' && event !== 'purchase') continue;
    if (!baskets.has(session)) baskets.set(session, new Set());
    baskets.get(session).add(itemId);
  }
  const partners = new Map();
  for (const basket of baskets.values()) {
    for (const itemId of basket) {
      if (!partners.has(itemId)) partners.set(itemId, new Set());
      for (const other of basket) if (other !== itemId) partners.get(itemId).add(other);
    }
  }
  const [itemId, expected] = [...partners].sort((a, b) => b[1].size - a[1].size)[0];
  assert.ok(expected.size > 0, 'the synthetic shop has co-carted items');
  const together = personalizer.boughtTogether(itemId, 50);
  assert.equal(together.length, Math.min(20, expected.size), 'every partner (20 kept per item), nothing else');
  assert.ok(together.every((result) => expected.has(result.itemId) && result.source === 'together' && result.because === itemId));
  assert.ok(together.every((result, index) => index === 0 || together[index - 1].score >= result.score));
  const excluded = personalizer.boughtTogether(itemId, 50, { exclude: [together[0].itemId] });
  assert.ok(!excluded.some((result) => result.itemId === together[0].itemId));
  assert.deepEqual(personalizer.boughtTogether('NOT-A-SKU'), []);
  const lonely = [...personalizer.popular({ k: 400 })].map((result) => result.itemId).find((candidate) => !partners.has(candidate));
  if (lonely) assert.deepEqual(personalizer.boughtTogether(lonely), []);
  throwsCode(() => personalizer.boughtTogether(itemId, 0), 'INVALID_ARGUMENT');
});
