// Behaviour on the device through the real .wasm: features, segment, propensity and affinities
// equal what the native core computes for the same events (`shelfwise features`), the device
// option, bad input, and affinities/segment kept in, exported with and erased with the profile.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { MemoryStorage, Personalizer, ShelfwiseError } from 'shelfwise';
import { readBundle, run, shopFixtures } from './fixtures.mjs';

let dir;
let bundle;
let plainBundle;
let items;
let profileCount = 0;

before(async () => {
  const { shop, itemknn } = shopFixtures();
  dir = mkdtempSync(join(tmpdir(), 'shelfwise-behaviour-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'segments.swm');
  run(['train', '--algo', 'pop', '--events', shop.train, '--catalog', shop.catalog, '--out', path,
    '--segments', '5', '--segment-restarts', '2', '--propensity', '--model-version', 'behaviour-test-1']);
  bundle = readBundle(path);
  plainBundle = readBundle(itemknn);
  const probe = await Personalizer.create({ bundle });
  items = probe.popular({ k: 40 }).map((result) => result.itemId);
  probe.close();
});

function open(options = {}) {
  profileCount += 1;
  return Personalizer.create({ bundle, profileName: `behaviour-${process.pid}-${profileCount}`, ...options });
}

// Two visits two days apart, with a cart and a purchase, and an item no model knows.
function shopperEvents() {
  const start = 1767300000;
  return [
    { itemId: items[0], type: 'view', time: start },
    { itemId: items[5], type: 'view', time: start + 40 },
    { itemId: items[5], type: 'cart', time: start + 90 },
    { itemId: 'SKU-NOT-IN-THE-MODEL', type: 'view', time: start + 2 * 86400 },
    { itemId: items[12], type: 'view', time: start + 2 * 86400 + 30 },
    { itemId: items[12], type: 'purchase', time: start + 2 * 86400 + 400 },
  ];
}

function nativeScores(events, { now, hour, device }) {
  const csv = ['session_id,user_id,item_id,timestamp,event', ...events.map((event) => `s1,U1,${event.itemId},${event.time},${event.type}`)];
  const path = join(dir, `shopper-${now}.csv`);
  writeFileSync(path, `${csv.join('\n')}\n`);
  const args = ['features', '--model', join(dir, 'segments.swm'), '--events', path, '--now', String(now), '--hour', String(hour), '--json'];
  if (device) args.push('--device', device);
  return JSON.parse(run(args));
}

function assertClose(actual, expected, what) {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs native ${expected}`);
}

test('features, segment, propensity and affinities match the native core on the same events', async () => {
  const events = shopperEvents();
  for (const context of [
    { now: events.at(-1).time + 120, hour: 20.5, device: 'mobile' },   // inside the second visit
    { now: events.at(-1).time + 86400, hour: 9, device: undefined },   // back a day later, device unknown
  ]) {
    const personalizer = await open({ device: context.device });
    for (const event of events) personalizer.track(event);
    const native = nativeScores(events, context);
    const options = { now: context.now, hour: context.hour };
    const features = personalizer.features(options);
    assert.deepEqual(Object.keys(features), Object.keys(native.features));
    for (const [name, value] of Object.entries(native.features)) assertClose(features[name], value, name);
    const segment = personalizer.segment(options);
    assert.equal(segment.id, native.segment.id);
    assert.equal(segment.distances.length, 5);
    segment.distances.forEach((distance, index) => assertClose(distance, native.segment.distances[index], `distance ${index}`));
    assert.equal(segment.distances[segment.id], Math.min(...segment.distances));
    assert.ok(segment.share > 0 && segment.share <= 1);
    assert.ok(Array.isArray(segment.traits));
    const propensity = personalizer.propensity(options);
    assertClose(propensity.purchase, native.propensity.purchase, 'purchase');
    assertClose(propensity.return, native.propensity.return, 'return');
    assert.ok(propensity.purchase > 0 && propensity.purchase < 1);
    const affinities = personalizer.affinities({ now: context.now });
    assert.deepEqual(affinities.categories.map((entry) => entry.category), native.affinities.categories.map((entry) => entry.category));
    affinities.categories.forEach((entry, index) => assertClose(entry.score, native.affinities.categories[index].score, entry.category));
    assert.equal(affinities.events, events.length);
    personalizer.close();
  }
});

test('the device comes from create() or track(), and per call; hour and now default to the clock', async () => {
  const personalizer = await open({ device: 'tablet' });
  assert.equal(personalizer.features()['device.tablet'], 1);
  personalizer.track({ itemId: items[1], device: 'desktop' });
  assert.equal(personalizer.features()['device.desktop'], 1);
  assert.equal(personalizer.features({ device: 'mobile' })['device.mobile'], 1);
  const hour = new Date().getHours();
  const expected = Math.sin((2 * Math.PI * (hour + new Date().getMinutes() / 60)) / 24);
  assert.ok(Math.abs(personalizer.features()['time.hour_sin'] - expected) < 0.01);
  assert.equal(personalizer.features()['visit.log_events'], Math.fround(Math.log(2)));
  personalizer.close();
  const unknown = await open();
  assert.equal(unknown.features()['device.mobile'], null);
  unknown.close();
});

test('bad input gets INVALID_ARGUMENT and changes nothing', async () => {
  await assert.rejects(open({ device: 'phone' }), (error) => error instanceof ShelfwiseError && error.code === 'INVALID_ARGUMENT');
  await assert.rejects(open({ affinityHalfLifeDays: 0 }), (error) => error.code === 'INVALID_ARGUMENT');
  const personalizer = await open();
  personalizer.track({ itemId: items[2] });
  const before = personalizer.features({ now: 1e9 });
  for (const bad of [{ hour: 24 }, { hour: -1 }, { now: Number.NaN }, { device: 'tv' }, { when: 1 }, 'noon']) {
    assert.throws(() => personalizer.segment(bad), (error) => error.code === 'INVALID_ARGUMENT', JSON.stringify(bad));
  }
  assert.throws(() => personalizer.track({ itemId: items[3], device: 'watch' }), (error) => error.code === 'INVALID_ARGUMENT');
  assert.deepEqual(personalizer.features({ now: 1e9 }), before);
  assert.equal(personalizer.session().events.length, 1);
  personalizer.close();
  assert.throws(() => personalizer.segment(), (error) => error.code === 'NO_MODEL');
});

test('a bundle without segments or propensity: segment() is null, propensity() nulls, features still work', async () => {
  const personalizer = await Personalizer.create({ bundle: plainBundle });
  personalizer.track({ itemId: items[4], type: 'cart' });
  assert.equal(personalizer.segment(), null);
  assert.deepEqual(personalizer.propensity(), { purchase: null, return: null });
  assert.equal(personalizer.features()['visit.cart_ratio'], 1);
  assert.equal(personalizer.affinities().categories.length, 1);
  personalizer.close();
});

test('affinities and segment are kept in the stored profile, exported, and erased with it', async () => {
  const storage = new MemoryStorage();
  const profileName = `behaviour-store-${process.pid}`;
  const first = await Personalizer.create({ bundle, consent: 'full', storage, profileName });
  const now = Date.now() / 1000;
  first.track({ itemId: items[7], type: 'view', time: now - 10 * 86400 });
  first.track({ itemId: items[7], type: 'purchase', time: now - 10 * 86400 + 60 });
  first.track({ itemId: items[8], type: 'view', time: now - 5 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  const stored = await storage.get('profile');
  assert.ok(stored.derived.affinities.categories.length >= 1);
  assert.equal(typeof stored.derived.segment.id, 'number');
  first.close();

  // A reload: the long-term history comes back from storage, beyond the visit's limit.
  const reloaded = await Personalizer.create({ bundle, consent: 'full', storage, profileName, maxSessionEvents: 1 });
  assert.equal(reloaded.session().events.length, 1);
  assert.equal(reloaded.affinities().events, 3);
  assert.ok(reloaded.features()['history.purchase_visits'] === 1);
  const exported = await reloaded.exportProfile();
  assert.deepEqual(exported.affinities.categories.map((entry) => entry.category),
    reloaded.affinities().categories.map((entry) => entry.category));
  assert.equal(exported.affinities.events, 3);
  assert.equal(exported.segment.id, reloaded.segment().id);
  await reloaded.erase();
  assert.equal(reloaded.affinities().events, 0);
  assert.deepEqual(reloaded.affinities().categories, []);
  const erased = await reloaded.exportProfile();
  assert.equal(erased.affinities.events, 0);
  assert.deepEqual(storage.keys(), []);
  reloaded.close();
});

test("consent 'none' keeps no behaviour: nothing counts, export says null", async () => {
  const personalizer = await open({ consent: 'none' });
  personalizer.track({ itemId: items[9], type: 'cart' });
  assert.equal(personalizer.affinities().events, 0);
  assert.equal(personalizer.features()['frequency.log_events'], 0);
  const exported = await personalizer.exportProfile();
  assert.equal(exported.affinities, null);
  assert.equal(exported.segment, null);
  personalizer.close();
});

test('an event tracked just before erase() is not written back afterwards', async () => {
  const storage = new MemoryStorage();
  const personalizer = await open({ consent: 'full', storage });
  personalizer.track({ itemId: items[10] });
  await personalizer.erase();
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(await storage.get('profile'), undefined);
  assert.equal(personalizer.affinities().events, 0);
  personalizer.close();
});
