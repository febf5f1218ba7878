// The public SDK against the real .wasm, on models the real trainer made from a synthetic shop.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Personalizer, ShelfwiseError } from 'shelfwise';
import { intentFixture, readBundle, shopFixtures, sknnFixture } from './fixtures.mjs';
import { parseInteractionLog } from '../../js/eval/interaction_csv.js';

let fixtures;
let knnBytes;
let popBytes;
let trainLog;

before(() => {
  fixtures = shopFixtures();
  knnBytes = readBundle(fixtures.itemknn);
  popBytes = readBundle(fixtures.pop);
  trainLog = parseInteractionLog(readFileSync(fixtures.shop.train, 'utf8'), 'train.csv');
});

async function expectCode(promiseOrFunction, code) {
  try {
    const value = typeof promiseOrFunction === 'function' ? promiseOrFunction() : promiseOrFunction;
    await value;
  } catch (error) {
    assert.ok(error instanceof ShelfwiseError, `expected ShelfwiseError, got ${error}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ShelfwiseError ${code}`);
}

/** The item most often clicked right after `itemId` in the training log. */
function mostFrequentSuccessor(itemId) {
  const counts = new Map();
  for (const { events } of trainLog.sessions) {
    for (let i = 0; i + 1 < events.length; i += 1) {
      if (events[i].itemId === itemId && events[i + 1].itemId !== itemId) {
        counts.set(events[i + 1].itemId, (counts.get(events[i + 1].itemId) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
}

describe('creating a Personalizer', () => {
  test('from bytes, a file path and a file URL, reporting the model', async () => {
    for (const bundle of [knnBytes, knnBytes.buffer.slice(0), fixtures.itemknn, pathToFileURL(fixtures.itemknn)]) {
      const personalizer = await Personalizer.create({ bundle });
      const info = personalizer.modelInfo();
      assert.equal(info.kind, 'itemknn');
      assert.equal(info.version, 'knn-test-1');
      assert.equal(info.itemCount, 400);
      assert.equal(info.hasCatalog, true);
      assert.equal(info.manifest.model.kind, 'itemknn');
      assert.equal(info.manifest.tensors, undefined);
      personalizer.close();
    }
  });

  test('rejects a missing bundle, bad options and unreadable paths with typed errors', async () => {
    await expectCode(Personalizer.create({}), 'INVALID_ARGUMENT');
    await expectCode(Personalizer.create(null), 'INVALID_ARGUMENT');
    await expectCode(Personalizer.create({ bundle: 42 }), 'INVALID_ARGUMENT');
    await expectCode(Personalizer.create({ bundle: knnBytes, maxSessionEvents: 0 }), 'INVALID_ARGUMENT');
    await expectCode(Personalizer.create({ bundle: '/nonexistent/model.swm' }), 'IO_ERROR');
  });

  // Node before 20.16 has no process.getBuiltinModule: built-ins come through import(), node:crypto
  // loads up front and the bundle's CRCs use the portable loop. A child process without it must
  // serve, hash and refuse a corrupt bundle the same.
  test('without process.getBuiltinModule (Node before 20.16) files load, hash and fail the same', () => {
    const folder = mkdtempSync(join(tmpdir(), 'shelfwise-old-node-'));
    try {
      const flipped = new Uint8Array(knnBytes);
      flipped[flipped.length - 3] ^= 0x40;
      writeFileSync(join(folder, 'flipped.swm'), flipped);
      const script = `
        delete process.getBuiltinModule;
        const { Personalizer } = await import('shelfwise');
        const p = await Personalizer.create({ bundle: ${JSON.stringify(fixtures.itemknn)} });
        const result = { sha256: p.modelInfo().sha256, count: p.recommend({ k: 5 }).length };
        try { await Personalizer.create({ bundle: ${JSON.stringify(join(folder, 'flipped.swm'))} }); } catch (error) { result.code = error.code; }
        console.log(JSON.stringify(result));`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      const result = JSON.parse(child.stdout);
      assert.equal(result.sha256, createHash('sha256').update(knnBytes).digest('hex'));
      assert.equal(result.count, 5);
      assert.equal(result.code, 'CHECKSUM_MISMATCH');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // Node compiles the .wasm synchronously: a bad one must fail the call, not leave it waiting.
  test('a .wasm that is not the core fails create() with IO_ERROR; the real one given as bytes or a path works', async () => {
    const wasmPath = new URL('../../js/dist/shelfwise_core.wasm', import.meta.url);
    const wasmBytes = readFileSync(wasmPath);
    const notWasm = new TextEncoder().encode('<html>404</html>');
    const truncated = wasmBytes.subarray(0, wasmBytes.length >> 1);
    const otherModule = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // valid, but exports nothing the glue needs
    for (const wasm of [notWasm, truncated]) await expectCode(Personalizer.create({ bundle: knnBytes, wasm }), 'IO_ERROR');
    const folder = mkdtempSync(join(tmpdir(), 'shelfwise-wasm-'));
    try {
      writeFileSync(join(folder, 'bad.wasm'), notWasm);
      await expectCode(Personalizer.create({ bundle: knnBytes, wasm: join(folder, 'bad.wasm') }), 'IO_ERROR');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    await expectCode(Personalizer.create({ bundle: knnBytes, wasm: otherModule }), 'IO_ERROR');
    for (const wasm of [wasmBytes, wasmPath.pathname]) {
      const personalizer = await Personalizer.create({ bundle: knnBytes, wasm });
      assert.equal(personalizer.recommend({ k: 3 }).length, 3);
      personalizer.close();
    }
  });

  // Node reads a bundle file straight into wasm memory and hashes it there.
  test('a bundle file serves and names the model as its bytes do; a bad file keeps the current model', async () => {
    const fromBytes = await Personalizer.create({ bundle: knnBytes });
    const fromFile = await Personalizer.create({ bundle: fixtures.itemknn });
    const sha256 = createHash('sha256').update(knnBytes).digest('hex');
    assert.equal(fromBytes.modelInfo().sha256, sha256);
    assert.equal(fromFile.modelInfo().sha256, sha256);
    for (const personalizer of [fromBytes, fromFile]) personalizer.track({ type: 'view', itemId: trainLog.sessions[0].events[0].itemId });
    assert.deepEqual(fromFile.recommend({ k: 20 }), fromBytes.recommend({ k: 20 }));
    const expected = fromFile.recommend({ k: 20 });

    const folder = mkdtempSync(join(tmpdir(), 'shelfwise-file-'));
    try {
      const flipped = new Uint8Array(knnBytes);
      flipped[flipped.length - 3] ^= 0x40;
      const cases = [
        [knnBytes.subarray(0, knnBytes.length >> 1), 'TRUNCATED'],
        [flipped, 'CHECKSUM_MISMATCH'],
        [new Uint8Array(0), 'TRUNCATED'],
      ];
      for (const [index, [bytes, code]] of cases.entries()) {
        const path = join(folder, `bad-${index}.swm`);
        writeFileSync(path, bytes);
        await expectCode(fromFile.loadBundle(path), code);
        assert.equal(fromFile.modelInfo().sha256, sha256);
        assert.deepEqual(fromFile.recommend({ k: 20 }), expected);
      }
      await expectCode(fromFile.loadBundle(join(folder, 'absent.swm')), 'IO_ERROR');
      await fromFile.loadBundle(fixtures.pop);
      assert.equal(fromFile.modelInfo().sha256, createHash('sha256').update(popBytes).digest('hex'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
      fromBytes.close();
      fromFile.close();
    }
  });

  test('a corrupt bundle fails with the code that names the fault', async () => {
    await expectCode(Personalizer.create({ bundle: new TextEncoder().encode('<html>404</html>') }), 'BAD_MAGIC');
    await expectCode(Personalizer.create({ bundle: new Uint8Array(0) }), 'TRUNCATED');
    const truncated = await expectCode(Personalizer.create({ bundle: knnBytes.subarray(0, knnBytes.length - 100) }), 'TRUNCATED');
    assert.match(truncated.message, /truncated at byte \d+/);
    const flipped = new Uint8Array(knnBytes);
    flipped[flipped.length - 3] ^= 0x40;
    await expectCode(Personalizer.create({ bundle: flipped }), 'CHECKSUM_MISMATCH');
  });
});

describe('recommendations', () => {
  test('after viewing an item, its most frequent successor is recommended, explained by that item', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    const anchor = trainLog.sessions[0].events[0].itemId;
    const [successor] = mostFrequentSuccessor(anchor);
    assert.deepEqual(personalizer.track({ type: 'view', itemId: anchor, time: 1767225600 }), { known: true });
    const results = personalizer.recommend({ k: 20 });
    assert.equal(results.length, 20);
    const hit = results.find((r) => r.itemId === successor);
    assert.ok(hit, 'the most frequent successor is in the top 20');
    assert.equal(hit.because, anchor);
    assert.ok(['next', 'related'].includes(hit.source));
    for (let i = 1; i < results.length; i += 1) assert.ok(results[i - 1].score >= results[i].score);
    assert.equal(new Set(results.map((r) => r.itemId)).size, results.length, 'no duplicates');
    personalizer.close();
  });

  test('an empty session gets popular items; the pop model ranks by popularity', async () => {
    const knn = await Personalizer.create({ bundle: knnBytes });
    const pop = await Personalizer.create({ bundle: popBytes });
    const fromKnn = knn.recommend({ k: 5 });
    const fromPop = pop.recommend({ k: 5 });
    assert.ok(fromKnn.every((r) => r.source === 'popular' && r.because === null));
    assert.deepEqual(fromKnn.map((r) => r.itemId), fromPop.map((r) => r.itemId));
    pop.track({ itemId: fromPop[3].itemId });
    assert.deepEqual(pop.recommend({ k: 5 }).map((r) => r.itemId), fromPop.map((r) => r.itemId));
    knn.close();
    pop.close();
  });

  test('exclude removes items, and the list is topped up to k', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    personalizer.track({ itemId: trainLog.sessions[1].events[0].itemId });
    const first = personalizer.recommend({ k: 10 });
    const exclude = first.slice(0, 4).map((r) => r.itemId);
    const second = personalizer.recommend({ k: 10, exclude: [...exclude, 'not-a-sku'] });
    assert.equal(second.length, 10);
    assert.ok(second.every((r) => !exclude.includes(r.itemId)));
    assert.deepEqual(second.slice(0, 6).map((r) => r.itemId), first.slice(4).map((r) => r.itemId));
    personalizer.close();
  });

  test('unknown item ids are accepted, kept in the session and ignored for scoring', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    const before = personalizer.recommend({ k: 10 });
    assert.deepEqual(personalizer.track({ itemId: 'SKU-NEVER-SEEN' }), { known: false });
    assert.deepEqual(personalizer.recommend({ k: 10 }), before);
    const snapshot = personalizer.session();
    assert.equal(snapshot.events.length, 1);
    assert.equal(snapshot.events[0].itemId, 'SKU-NEVER-SEEN');
    assert.equal(snapshot.events[0].known, false);
    const related = personalizer.related('SKU-NEVER-SEEN', 5);
    assert.equal(related.length, 5);
    assert.ok(related.every((r) => r.source === 'popular'));
    personalizer.close();
  });

  test('related items never include the item itself and are explained by it', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    const anchor = trainLog.sessions[2].events[0].itemId;
    const related = personalizer.related(anchor, 8);
    assert.equal(related.length, 8);
    assert.ok(related.every((r) => r.itemId !== anchor));
    assert.equal(related[0].because, anchor);
    assert.equal(related[0].source, 'related');
    personalizer.close();
  });

  test('the session keeps the last maxSessionEvents events and clears on request', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes, maxSessionEvents: 3 });
    const ids = trainLog.sessions[3].events.map((e) => e.itemId).concat(trainLog.sessions[4].events.map((e) => e.itemId));
    for (const [i, itemId] of ids.slice(0, 5).entries()) personalizer.track({ type: i === 4 ? 'cart' : 'view', itemId, time: 100 + i });
    const { events, maxEvents } = personalizer.session();
    assert.equal(maxEvents, 3);
    assert.deepEqual(events.map((e) => e.itemId), ids.slice(2, 5));
    assert.deepEqual(events.map((e) => e.type), ['view', 'view', 'cart']);
    assert.deepEqual(events.map((e) => e.time), [102, 103, 104]);
    personalizer.clearSession();
    assert.equal(personalizer.session().events.length, 0);
    assert.ok(personalizer.recommend({ k: 3 }).every((r) => r.source === 'popular'));
    personalizer.close();
  });

  test('catalogue attributes come from the bundle', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    const [header, row] = readFileSync(fixtures.shop.catalog, 'utf8').split('\n');
    assert.equal(header, 'item_id,category,price,title,available');
    const [itemId, category, price, title, available] = row.split(',');
    assert.deepEqual(personalizer.item(itemId), {
      itemId, title, category, price: Math.fround(Number(price)), available: available === '1',
    });
    assert.equal(personalizer.item('SKU-NEVER-SEEN'), null);
    personalizer.close();
  });
});

describe('bad input to every method', () => {
  test('track, recommend and related validate their arguments', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    const itemId = trainLog.sessions[0].events[0].itemId;
    for (const event of [null, 'view', {}, { itemId: '' }, { itemId: 7 }, { itemId, type: 'click' },
      { itemId, time: NaN }, { itemId, time: Infinity }, { itemId, time: -1 }, { itemId, time: '1' }, { itemId: 'x'.repeat(300) }]) {
      await expectCode(() => personalizer.track(event), 'INVALID_ARGUMENT');
    }
    for (const options of [null, { k: 0 }, { k: 1.5 }, { k: NaN }, { k: '3' }, { exclude: 'abc' }, { exclude: [1] }]) {
      await expectCode(() => personalizer.recommend(options), 'INVALID_ARGUMENT');
    }
    await expectCode(() => personalizer.recommend({ k: 100000 }), 'LIMIT_EXCEEDED');
    await expectCode(() => personalizer.recommend({ exclude: new Array(100001).fill(itemId) }), 'LIMIT_EXCEEDED');
    await expectCode(() => personalizer.related(undefined), 'INVALID_ARGUMENT');
    await expectCode(() => personalizer.related(itemId, -1), 'INVALID_ARGUMENT');
    await expectCode(() => personalizer.related(itemId, Infinity), 'INVALID_ARGUMENT');
    await expectCode(() => personalizer.item(null), 'INVALID_ARGUMENT');
    assert.equal(personalizer.session().events.length, 0, 'rejected events are not recorded');
    personalizer.close();
  });

  test('close is idempotent and later calls throw NO_MODEL', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    personalizer.close();
    personalizer.close();
    await expectCode(() => personalizer.recommend(), 'NO_MODEL');
    await expectCode(() => personalizer.track({ itemId: 'a' }), 'NO_MODEL');
    await expectCode(personalizer.loadBundle(knnBytes), 'NO_MODEL');
  });
});

describe('replacing the model', () => {
  test('a good bundle replaces the model and the visit carries over', async () => {
    const personalizer = await Personalizer.create({ bundle: popBytes });
    const itemId = trainLog.sessions[5].events[0].itemId;
    personalizer.track({ itemId });
    assert.ok(personalizer.recommend({ k: 5 }).every((r) => r.source === 'popular'));
    await personalizer.loadBundle(knnBytes);
    assert.equal(personalizer.modelInfo().version, 'knn-test-1');
    const results = personalizer.recommend({ k: 5 });
    assert.ok(results.some((r) => r.because === itemId), 'the carried-over view drives the new model');
    personalizer.close();
  });

  test('every kind of bad bundle is refused and the last good model keeps serving', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    personalizer.track({ itemId: trainLog.sessions[6].events[0].itemId });
    const expected = personalizer.recommend({ k: 10 });
    const flipped = new Uint8Array(knnBytes);
    flipped[knnBytes.length - 7] ^= 1;
    const badVersion = new Uint8Array(knnBytes);
    new DataView(badVersion.buffer).setUint32(12, 99, true);
    const { withNonFinite } = await import('./bundle_bytes.mjs');
    const cases = [
      [new TextEncoder().encode('Not Found'), 'BAD_MAGIC'],
      [knnBytes.subarray(0, 20), 'TRUNCATED'],
      [knnBytes.subarray(0, knnBytes.length >> 1), 'TRUNCATED'],
      [flipped, 'CHECKSUM_MISMATCH'],
      [badVersion, 'UNSUPPORTED_VERSION'],
      [withNonFinite(knnBytes, 'knn.next.weights', 3, 'nan'), 'NON_FINITE'],
      [withNonFinite(knnBytes, 'popularity', 0, 'inf'), 'NON_FINITE'],
    ];
    for (const [bytes, code] of cases) {
      await expectCode(personalizer.loadBundle(bytes), code);
      assert.equal(personalizer.modelInfo().version, 'knn-test-1');
      assert.deepEqual(personalizer.recommend({ k: 10 }), expected);
    }
    await expectCode(personalizer.loadBundle('http://127.0.0.1:9/nothing-listens-here.swm'), 'IO_ERROR');
    assert.deepEqual(personalizer.recommend({ k: 10 }), expected);
    personalizer.close();
  });

  test('loading and replacing a model many times does not grow wasm memory', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    for (let i = 0; i < 5; i += 1) await personalizer.loadBundle(i % 2 ? knnBytes : popBytes);
    const settled = personalizer.memoryStats().wasmHeapBytes;
    for (let i = 0; i < 40; i += 1) await personalizer.loadBundle(i % 2 ? knnBytes : popBytes);
    assert.equal(personalizer.memoryStats().wasmHeapBytes, settled);
    personalizer.close();
  });
});

describe('popular items', () => {
  test('popular() ignores the visit, honours exclude, and matches the empty session ranking', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    const empty = personalizer.recommend({ k: 8 });
    personalizer.track({ itemId: trainLog.sessions[7].events[0].itemId });
    const popular = personalizer.popular({ k: 8 });
    assert.deepEqual(popular, empty);
    assert.ok(popular.every((r) => r.source === 'popular'));
    const without = personalizer.popular({ k: 8, exclude: [popular[0].itemId] });
    assert.deepEqual(without.slice(0, 7).map((r) => r.itemId), popular.slice(1).map((r) => r.itemId));
    await expectCode(() => personalizer.popular({ k: 0 }), 'INVALID_ARGUMENT');
    personalizer.close();
  });
});

describe('a session-kNN model', () => {
  test('recommends items of stored sessions like the visit, explained by a visited item', async () => {
    const personalizer = await Personalizer.create({ bundle: readBundle(sknnFixture()) });
    const info = personalizer.modelInfo();
    assert.equal(info.kind, 'sknn');
    assert.equal(info.version, 'sknn-test-1');
    for (const key of ['neighbours', 'sample_size', 'position_weighting', 'match_weighting', 'idf_weight', 'max_session_items']) {
      assert.ok(key in info.manifest.inference, `inference.${key}`);
    }
    // Every scored item comes from a stored session holding a visited item, and names that item.
    const visited = [trainLog.sessions[7].events[0].itemId, trainLog.sessions[9].events[0].itemId];
    const sharing = new Set();
    for (const { events } of trainLog.sessions) {
      if (events.some((event) => visited.includes(event.itemId))) for (const event of events) sharing.add(event.itemId);
    }
    personalizer.track({ itemId: visited[0], time: 1767225600 });
    personalizer.track({ itemId: visited[1], time: 1767225660 });
    const results = personalizer.recommend({ k: 20 });
    assert.equal(results.length, 20);
    const scored = results.filter((r) => r.source === 'next');
    assert.ok(scored.length >= 10, `${scored.length} scored items`);
    for (const result of scored) {
      assert.ok(sharing.has(result.itemId), `${result.itemId} shares a stored session with the visit`);
      assert.ok(visited.includes(result.because));
    }
    for (let i = 1; i < results.length; i += 1) assert.ok(results[i - 1].score >= results[i].score);
    const related = personalizer.related(visited[0], 10);
    assert.equal(related.length, 10);
    assert.equal(related[0].source, 'related');
    assert.ok(related.every((r) => r.itemId !== visited[0]));
    personalizer.close();
  });

  test('swapping between item-kNN and session-kNN keeps the visit', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    const itemId = trainLog.sessions[3].events[0].itemId;
    personalizer.track({ itemId });
    await personalizer.loadBundle(readBundle(sknnFixture()));
    assert.equal(personalizer.modelInfo().kind, 'sknn');
    assert.ok(personalizer.recommend({ k: 5 }).some((r) => r.because === itemId));
    await personalizer.loadBundle(knnBytes);
    assert.ok(personalizer.recommend({ k: 5 }).some((r) => r.because === itemId));
    personalizer.close();
  });
});

describe('intent()', () => {
  test('is null for a model without intent heads', async () => {
    const personalizer = await Personalizer.create({ bundle: knnBytes });
    personalizer.track({ itemId: trainLog.sessions[0].events[0].itemId });
    assert.equal(personalizer.intent(), null);
    personalizer.close();
  });

  test('reports purchase probability, stage and heading category; carts raise it, a purchase settles it', async () => {
    const personalizer = await Personalizer.create({ bundle: readBundle(intentFixture()) });
    const [first, second] = trainLog.sessions.find(({ events }) => events.length >= 2).events;
    const empty = personalizer.intent();
    assert.equal(empty.category, null);
    personalizer.track({ itemId: first.itemId, time: 1767225600 });
    personalizer.track({ itemId: second.itemId, time: 1767225640 });
    const browsing = personalizer.intent();
    assert.ok(browsing.purchaseProbability > 0 && browsing.purchaseProbability < 1);
    assert.ok(['browsing', 'comparing', 'about_to_buy'].includes(browsing.stage));
    const total = Object.values(browsing.stages).reduce((sum, value) => sum + value, 0);
    assert.ok(Math.abs(total - 1) < 1e-5);
    assert.equal(browsing.stages[browsing.stage], Math.max(...Object.values(browsing.stages)));
    assert.equal(typeof browsing.category, 'string');
    assert.equal(browsing.category, personalizer.item(second.itemId).category, 'heading where the latest item is');
    assert.ok(browsing.categoryProbability > 0 && browsing.categoryProbability <= 1);
    personalizer.track({ type: 'cart', itemId: second.itemId, time: 1767225700 });
    const carted = personalizer.intent();
    assert.ok(carted.purchaseProbability > browsing.purchaseProbability, `${carted.purchaseProbability} > ${browsing.purchaseProbability}`);
    personalizer.track({ type: 'purchase', itemId: second.itemId, time: 1767225800 });
    const bought = personalizer.intent();
    assert.equal(bought.purchaseProbability, 1);
    assert.equal(bought.stage, 'about_to_buy');
    personalizer.close();
    assert.throws(() => personalizer.intent(), (error) => error instanceof ShelfwiseError && error.code === 'NO_MODEL');
  });
});
