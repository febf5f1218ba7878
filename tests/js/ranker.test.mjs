// The ranker through the SDK and the real .wasm: slots (recipes from the bundle), context, the
// business rules, rerank, explanations, and a typed error for every kind of bad input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Personalizer, ShelfwiseError } from 'shelfwise';
import { readBundle, shopFixtures } from './fixtures.mjs';
import { parseInteractionLog } from '../../js/eval/interaction_csv.js';

let personalizer;
let catalog;       // itemId -> { category, price, available }
let categories;    // category -> itemIds
let trainLog;

before(async () => {
  const fixtures = shopFixtures();
  personalizer = await Personalizer.create({ bundle: readBundle(fixtures.itemknn) });
  trainLog = parseInteractionLog(readFileSync(fixtures.shop.train, 'utf8'), 'train.csv');
  catalog = new Map();
  categories = new Map();
  const lines = readFileSync(fixtures.shop.catalog, 'utf8').trim().split('\n').slice(1);
  for (const line of lines) {
    const [itemId, category, price, , available] = line.split(',');
    catalog.set(itemId, { category, price: Number(price), available: available === '1' });
    if (!categories.has(category)) categories.set(category, []);
    categories.get(category).push(itemId);
  }
});

after(() => personalizer?.close());

function code(fn, expected, mentions) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ShelfwiseError, `expected ShelfwiseError, got ${error}`);
    assert.equal(error.code, expected, error.message);
    if (mentions) assert.match(error.message, mentions);
    return;
  }
  assert.fail(`expected ShelfwiseError ${expected}`);
}

/** A busy session's items, so the visit has signal. */
function busyItems(count) {
  return trainLog.sessions.find((session) => session.events.length >= count).events.slice(0, count).map((event) => event.itemId);
}

function visit(itemIds, type = 'view') {
  personalizer.clearSession();
  for (const itemId of itemIds) personalizer.track({ type, itemId, time: 1000 });
}

describe('slots', () => {
  test('the bundle carries the four standard recipes', () => {
    const recipes = personalizer.modelInfo().manifest.recipes;
    assert.deepEqual(Object.keys(recipes).sort(), ['cart', 'category-rerank', 'home', 'product-page']);
    assert.equal(typeof recipes.home.weights.session, 'number');
  });

  test('home follows the visit and explains each result by the shopper\'s item', () => {
    const viewed = busyItems(3);
    visit(viewed);
    const results = personalizer.recommend({ slot: 'home', k: 12 });
    assert.equal(results.length, 12);
    assert.equal(new Set(results.map((r) => r.itemId)).size, 12);
    const personal = results.filter((r) => r.source === 'next' || r.source === 'related');
    assert.ok(personal.length > 0);
    for (const result of personal) assert.ok(viewed.includes(result.because), `${result.because} is a viewed item`);
    for (const result of results.filter((r) => r.source === 'popular')) assert.equal(result.because, null);
    for (let rank = 1; rank < results.length; rank += 1) assert.ok(results[rank - 1].score >= results[rank].score);
  });

  test('product-page is about the context item and never shows it', () => {
    personalizer.clearSession();
    const [product] = busyItems(1);
    const results = personalizer.recommend({ slot: 'product-page', k: 6, context: { itemId: product } });
    assert.equal(results.length, 6);
    assert.ok(!results.some((r) => r.itemId === product));
    assert.equal(results[0].source, 'related');
    assert.equal(results[0].because, product);
    const related = personalizer.related(product, 1)[0].itemId;
    assert.equal(results[0].itemId, related, 'the strongest related item leads, as related() says');
  });

  test('cart hides what is in the cart; rules can override the recipe', () => {
    const items = busyItems(3);
    visit(items.slice(0, 2));
    personalizer.track({ type: 'cart', itemId: items[2], time: 1001 });
    const inCart = items[2];
    const shown = (options) => personalizer.recommend({ k: 50, ...options }).map((r) => r.itemId);
    assert.ok(!shown({ slot: 'cart', context: { itemId: inCart } }).includes(inCart));
    assert.ok(!shown({ slot: 'cart', rules: { exclude: { in_cart: true } } }).includes(inCart));
    // Without the cart rule (and without it as context) the item is a fine next step.
    const popularHead = personalizer.popular({ k: 50 }).map((r) => r.itemId);
    personalizer.clearSession();
    personalizer.track({ type: 'cart', itemId: popularHead[0], time: 1 });
    assert.ok(shown({ slot: 'home' }).includes(popularHead[0]));
    assert.ok(!shown({ slot: 'cart' }).includes(popularHead[0]));
  });

  test('no slot keeps today\'s recommend()', () => {
    visit(busyItems(2));
    const plain = personalizer.recommend({ k: 8 });
    const again = personalizer.recommend({ k: 8, exclude: [] });
    assert.deepEqual(plain, again);
    assert.ok(plain.every((r) => ['next', 'related', 'popular'].includes(r.source)));
  });
});

describe('rules through the SDK', () => {
  test('filters: categories, price range, availability', () => {
    visit(busyItems(3));
    const [category] = [...categories.keys()].sort();
    let results = personalizer.recommend({ slot: 'home', k: 10, rules: { filter: { categories: [category] } } });
    assert.ok(results.length > 0);
    for (const r of results) assert.equal(catalog.get(r.itemId).category, category);
    results = personalizer.recommend({ slot: 'home', k: 20, rules: { filter: { price: { min: 20, max: 60 }, available: true } } });
    assert.equal(results.length, 20);
    for (const r of results) {
      const item = catalog.get(r.itemId);
      assert.ok(item.price >= 20 && item.price <= 60, `${r.itemId} costs ${item.price}`);
      assert.ok(item.available);
    }
  });

  test('rules as JSON text (as an edge worker sends them) give the same results', () => {
    visit(busyItems(3));
    const rules = { boost: [{ categories: [[...categories.keys()][0]], factor: 3 }], max_per_category: 2, diversity: { lambda: 0.6 } };
    const fromObject = personalizer.recommend({ slot: 'home', k: 10, rules });
    const fromText = personalizer.recommend({ slot: 'home', k: 10, rules: JSON.stringify(rules) });
    assert.deepEqual(fromText, fromObject);
    const perCategory = new Map();
    for (const r of fromObject) perCategory.set(catalog.get(r.itemId).category, (perCategory.get(catalog.get(r.itemId).category) ?? 0) + 1);
    for (const count of perCategory.values()) assert.ok(count <= 2);
  });

  test('pins land at their 1-based positions, once', () => {
    visit(busyItems(3));
    const top = personalizer.recommend({ slot: 'home', k: 5 });
    const pinnedId = [...catalog.keys()].find((id) => catalog.get(id).available && !top.some((r) => r.itemId === id));
    const results = personalizer.recommend({ slot: 'home', k: 5, rules: { pin: [{ item: pinnedId, position: 3 }, { item: top[0].itemId, position: 5 }] } });
    assert.equal(results[2].itemId, pinnedId);
    assert.equal(results[2].source, 'pinned');
    assert.equal(results[4].itemId, top[0].itemId);
    assert.equal(results.filter((r) => r.itemId === top[0].itemId).length, 1);
  });

  test('weights can be overridden per call', () => {
    visit(busyItems(3));
    const popularOnly = personalizer.recommend({ slot: 'home', k: 5, rules: { weights: { session: 0 } } });
    assert.deepEqual(popularOnly.map((r) => r.itemId), personalizer.popular({ k: 5 }).map((r) => r.itemId));
  });
});

describe('rerank', () => {
  test('returns exactly the page\'s items (unknown ones kept, duplicates once), personalised', () => {
    const [category] = [...categories.keys()].sort();
    const items = categories.get(category).slice(0, 30);
    const page = [...items, 'NEW-PRODUCT-1', items[0], 'NEW-PRODUCT-1'];
    personalizer.clearSession();
    const anonymous = personalizer.rerank(page);
    assert.equal(anonymous.length, 31);
    assert.deepEqual(new Set(anonymous.map((r) => r.itemId)), new Set([...items, 'NEW-PRODUCT-1']));
    assert.equal(anonymous.find((r) => r.itemId === 'NEW-PRODUCT-1').source, 'page');

    // A shopper who viewed an item of the category sees its neighbours lifted, explained.
    visit([items[7]]);
    const personal = personalizer.rerank(page, { slot: 'category-rerank' });
    assert.equal(personal.length, 31);
    const explained = personal.filter((r) => r.because === items[7]);
    assert.ok(explained.length > 0, 'some items are there because of the viewed one');
    assert.ok(personal.indexOf(explained[0]) < 10);
    assert.deepEqual(personalizer.rerank(page, { k: 3 }).map((r) => r.itemId), personal.slice(0, 3).map((r) => r.itemId));
    assert.deepEqual(personalizer.rerank([]), []);
  });

  test('rules apply to a rerank too', () => {
    const [category] = [...categories.keys()].sort();
    const items = categories.get(category).slice(0, 40);
    personalizer.clearSession();
    const results = personalizer.rerank(items, { rules: { filter: { available: true }, pin: [{ item: items[39], position: 1 }] } });
    assert.equal(results[0].itemId, catalog.get(items[39]).available ? items[39] : results[0].itemId);
    for (const r of results) assert.ok(catalog.get(r.itemId).available);
    assert.equal(results.length, items.filter((id) => catalog.get(id).available).length);
  });
});

describe('bad input to recommend({ slot }) and rerank()', () => {
  test('every bad argument has its code, and nothing breaks', () => {
    const [item] = busyItems(1);
    code(() => personalizer.recommend({ slot: '' }), 'INVALID_ARGUMENT', /slot/);
    code(() => personalizer.recommend({ slot: 7 }), 'INVALID_ARGUMENT', /slot/);
    code(() => personalizer.recommend({ slot: 'checkout' }), 'INVALID_ARGUMENT', /slot 'checkout'.*home/);
    code(() => personalizer.recommend({ rules: {} }), 'INVALID_ARGUMENT', /need a slot/);
    code(() => personalizer.recommend({ context: { itemId: item } }), 'INVALID_ARGUMENT', /need a slot/);
    code(() => personalizer.recommend({ slot: 'home', k: 0 }), 'INVALID_ARGUMENT');
    code(() => personalizer.recommend({ slot: 'home', k: 1001 }), 'LIMIT_EXCEEDED');
    code(() => personalizer.recommend({ slot: 'home', rules: 5 }), 'INVALID_ARGUMENT', /rules/);
    code(() => personalizer.recommend({ slot: 'home', rules: [1] }), 'INVALID_ARGUMENT', /rules/);
    const circular = {};
    circular.self = circular;
    code(() => personalizer.recommend({ slot: 'home', rules: circular }), 'INVALID_ARGUMENT', /JSON/);
    code(() => personalizer.recommend({ slot: 'home', rules: '{"filter": ' }), 'PARSE_ERROR');
    code(() => personalizer.recommend({ slot: 'home', rules: '[' .repeat(100) + ']'.repeat(100) }), 'LIMIT_EXCEEDED');
    code(() => personalizer.recommend({ slot: 'home', rules: { pad: 'x'.repeat(70000) } }), 'LIMIT_EXCEEDED');
    code(() => personalizer.recommend({ slot: 'home', rules: { filtre: {} } }), 'INVALID_ARGUMENT', /'filtre'/);
    code(() => personalizer.recommend({ slot: 'home', rules: { filter: { price: { min: 9, max: 1 } } } }), 'INVALID_ARGUMENT', /'filter.price'/);
    code(() => personalizer.recommend({ slot: 'home', rules: { boost: [{ categories: ['x'], factor: -1 }] } }), 'INVALID_ARGUMENT', /'boost\[0\].factor'/);
    code(() => personalizer.recommend({ slot: 'home', rules: { pin: [{ item, position: 0 }] } }), 'INVALID_ARGUMENT', /'pin\[0\].position'/);
    code(() => personalizer.recommend({ slot: 'home', rules: { max_per_category: -1 } }), 'INVALID_ARGUMENT', /'max_per_category'/);
    code(() => personalizer.recommend({ slot: 'home', rules: { diversity: { lambda: 2 } } }), 'INVALID_ARGUMENT', /'diversity.lambda'/);
    code(() => personalizer.recommend({ slot: 'home', rules: { weights: { popular: 'lots' } } }), 'INVALID_ARGUMENT', /'weights.popular'/);
    code(() => personalizer.recommend({ slot: 'home', rules: { pin: Array.from({ length: 101 }, (_, i) => ({ item: `X${i}`, position: i + 1 })) } }), 'LIMIT_EXCEEDED', /'pin'/);
    code(() => personalizer.recommend({ slot: 'home', context: 'SKU' }), 'INVALID_ARGUMENT', /context/);
    code(() => personalizer.recommend({ slot: 'home', context: { item } }), 'INVALID_ARGUMENT', /context.item /);
    code(() => personalizer.recommend({ slot: 'home', context: { itemId: 3 } }), 'INVALID_ARGUMENT', /context.itemId/);
    code(() => personalizer.recommend({ slot: 'home', context: { items: item } }), 'INVALID_ARGUMENT', /context.items/);
    code(() => personalizer.recommend({ slot: 'home', context: { items: Array(51).fill(item) } }), 'LIMIT_EXCEEDED', /context/);
    code(() => personalizer.recommend({ slot: 'home', exclude: 'x' }), 'INVALID_ARGUMENT', /exclude/);
    code(() => personalizer.rerank('SKU'), 'INVALID_ARGUMENT', /items/);
    code(() => personalizer.rerank([item, 5]), 'INVALID_ARGUMENT', /items entry/);
    code(() => personalizer.rerank(Array(1001).fill(item)), 'LIMIT_EXCEEDED', /1000/);
    code(() => personalizer.rerank([item], null), 'INVALID_ARGUMENT');
    code(() => personalizer.rerank([item], { slot: 'nope' }), 'INVALID_ARGUMENT', /slot 'nope'/);
    code(() => personalizer.rerank([item], { k: 0 }), 'INVALID_ARGUMENT');
    code(() => personalizer.rerank([item], { rules: { max_per_category: 0 } }), 'INVALID_ARGUMENT', /'max_per_category'/);
    code(() => personalizer.rerank([], { rules: 5 }), 'INVALID_ARGUMENT', /rules/);
    // The last good state keeps serving, with and without the rules that failed before.
    assert.equal(personalizer.recommend({ slot: 'home', k: 4, rules: { max_per_category: 1 } }).length, 4);
    assert.equal(personalizer.rerank([item]).length, 1);
  });

  test('a popularity-only bundle serves slots from popularity', async () => {
    const bare = await Personalizer.create({ bundle: readBundle(shopFixtures().pop) });
    try {
      const results = bare.recommend({ slot: 'home', k: 3, context: { itemId: busyItems(1)[0] } });
      assert.equal(results.length, 3);
      assert.ok(results.every((r) => r.source === 'popular'));
    } finally {
      bare.close();
    }
  });
});

describe('a visit passed with the call (what the edge worker does)', () => {
  test('ranks exactly as the same events tracked, and leaves the tracked visit as it was', () => {
    const items = busyItems(6);
    const page = personalizer.popular({ k: 200 }).map((r) => r.itemId);
    const rules = { max_per_category: 3, diversity: { lambda: 0.8 } };
    personalizer.clearSession();
    items.forEach((itemId, position) => personalizer.track({ type: position === 5 ? 'cart' : 'view', itemId, time: position + 1 }));
    const tracked = personalizer.rerank(page, { k: 30, rules });
    const trackedHome = personalizer.recommend({ slot: 'home', k: 10 });
    personalizer.clearSession();
    const visit = items.map((itemId, position) => (position === 5 ? { itemId, type: 'cart' } : itemId));
    const passed = personalizer.rerank(page, { k: 30, rules, visit });
    assert.deepEqual(passed, tracked);
    assert.deepEqual(personalizer.recommend({ slot: 'home', k: 10, visit }), trackedHome);
    // Nothing of it was recorded: the tracked visit is still empty and ranks as no visit does.
    assert.equal(personalizer.session().events.length, 0);
    assert.deepEqual(personalizer.rerank(page, { k: 30, rules }), personalizer.rerank(page, { k: 30, rules, visit: [] }));
    assert.notDeepEqual(passed.map((r) => r.itemId), personalizer.rerank(page, { k: 30, rules }).map((r) => r.itemId));
  });

  test('unknown ids in the visit are skipped; bad visits are typed errors and change nothing', () => {
    const items = busyItems(3);
    const page = personalizer.popular({ k: 50 }).map((r) => r.itemId);
    personalizer.clearSession();
    const expected = personalizer.rerank(page, { visit: items });
    assert.deepEqual(personalizer.rerank(page, { visit: ['no-such-item', ...items] }), expected);
    code(() => personalizer.rerank(page, { visit: 'SKU' }), 'INVALID_ARGUMENT', /visit/);
    code(() => personalizer.rerank(page, { visit: [5] }), 'INVALID_ARGUMENT', /visit/);
    code(() => personalizer.rerank(page, { visit: [null] }), 'INVALID_ARGUMENT', /visit/);
    code(() => personalizer.rerank(page, { visit: [{ itemId: items[0], type: 'like' }] }), 'INVALID_ARGUMENT', /like/);
    code(() => personalizer.rerank(page, { visit: Array(201).fill(items[0]) }), 'LIMIT_EXCEEDED', /201/);
    assert.deepEqual(personalizer.rerank(page, { visit: items }), expected);
  });

  test('without consent the visit is ignored, as tracked events are', async () => {
    const bytes = readBundle(shopFixtures().itemknn);
    const none = await Personalizer.create({ bundle: bytes, consent: 'none' });
    try {
      const page = none.popular({ k: 50 }).map((r) => r.itemId);
      assert.deepEqual(none.rerank(page, { visit: busyItems(4) }), none.rerank(page));
    } finally {
      none.close();
    }
  });

  test('modelInfo() is read once per model and cannot be changed by the caller', () => {
    const info = personalizer.modelInfo();
    assert.equal(personalizer.modelInfo(), info);
    assert.ok(Object.isFrozen(info) && Object.isFrozen(info.manifest));
    assert.throws(() => { 'use strict'; info.manifest.recipes = null; }, TypeError);
  });
});
