// The shopper's profile on the device: consent levels and transitions, storage with retention on
// write, export, erase, and two "tabs" (two Personalizers on one storage) sharing one profile.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { MemoryStorage, Personalizer } from 'shelfwise';
import { readBundle, shopFixtures } from './fixtures.mjs';
import { packValue, unpackValue } from '../../js/src/value_packing.js';

let bundle;
let items;
let profileCount = 0;

before(async () => {
  bundle = readBundle(shopFixtures().itemknn);
  const probe = await Personalizer.create({ bundle });
  items = probe.popular({ k: 60 }).map((result) => result.itemId);
  probe.close();
});

/** Each test gets its own profile name, so tabs of different tests never hear each other. */
function open(options = {}) {
  profileCount += 1;
  return Personalizer.create({ bundle, profileName: `test-${process.pid}-${profileCount}`, ...options });
}

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

// Cross-tab delivery is asynchronous: wait for it (bounded) rather than for a fixed time, which
// a loaded machine can outlast.
async function eventually(condition, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await settle(20);
}

test("consent 'none': nothing is kept, results are non-personal, nothing is stored", async () => {
  const storage = new MemoryStorage();
  const personalizer = await open({ consent: 'none', storage });
  const popular = personalizer.recommend({ k: 5 });
  assert.deepEqual(personalizer.track({ itemId: items[7] }), { known: true });
  assert.equal(personalizer.session().events.length, 0);
  assert.deepEqual(personalizer.recommend({ k: 5 }), popular);
  assert.ok(personalizer.recommend({ k: 5 }).every((result) => result.source === 'popular'));
  assert.ok(personalizer.related(items[7], 3).length === 3, 'related-to-this-page still works');
  const exported = await personalizer.exportProfile();
  assert.equal(exported.consent, 'none');
  assert.deepEqual(exported.events, []);
  await settle();
  assert.deepEqual(storage.keys(), []);
  personalizer.close();
});

test("consent 'session-only' keeps the visit in memory and writes nothing", async () => {
  const storage = new MemoryStorage();
  const personalizer = await open({ storage });
  assert.equal(personalizer.consent(), 'session-only');
  personalizer.track({ itemId: items[3] });
  assert.ok(personalizer.recommend({ k: 5 }).some((result) => result.source !== 'popular'));
  const exported = await personalizer.exportProfile();
  assert.equal(exported.stored, false);
  assert.deepEqual(exported.events.map((event) => event.itemId), [items[3]]);
  await settle();
  assert.deepEqual(storage.keys(), []);
  personalizer.close();
});

test("consent 'full' stores the profile; a reload gets it back; export returns it", async () => {
  const storage = new MemoryStorage();
  const profileName = `reload-${process.pid}`;
  const first = await Personalizer.create({ bundle, consent: 'full', storage, profileName });
  first.track({ itemId: items[1], type: 'view' });
  first.track({ itemId: items[2], type: 'cart' });
  await settle();
  first.close();
  const stored = await storage.get('profile');
  assert.deepEqual(stored.events.map((event) => [event.itemId, event.type]), [[items[1], 'view'], [items[2], 'cart']]);

  const reloaded = await Personalizer.create({ bundle, consent: 'full', storage, profileName });
  assert.deepEqual(reloaded.session().events.map((event) => event.itemId), [items[1], items[2]]);
  assert.ok(reloaded.recommend({ k: 5 }).some((result) => result.because === items[2]));
  const exported = await reloaded.exportProfile();
  assert.equal(exported.format, 'shelfwise-profile-export');
  assert.equal(exported.stored, true);
  assert.deepEqual(exported.retention, { maxEvents: 1000, maxAgeDays: 90 });
  assert.deepEqual(exported.events.map((event) => event.itemId), [items[1], items[2]]);
  assert.ok(exported.events.every((event) => typeof event.id === 'string' && Number.isFinite(event.time)));
  reloaded.close();
});

test('retention limits are enforced on write: max events and max age', async () => {
  const storage = new MemoryStorage();
  const now = Date.now() / 1000;
  const personalizer = await open({ consent: 'full', storage, retention: { maxEvents: 3, maxAgeDays: 1 } });
  personalizer.track({ itemId: items[0], time: now - 3 * 86400 });
  for (let index = 1; index <= 5; index += 1) personalizer.track({ itemId: items[index], time: now - 10 + index });
  await settle();
  assert.deepEqual((await storage.get('profile')).events.map((event) => event.itemId), items.slice(3, 6));
  await assert.rejects(open({ retention: { maxEvents: 0 } }), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(open({ consent: 'maybe' }), { code: 'INVALID_ARGUMENT' });
  personalizer.close();
});

test('consent changes take effect at once, in both directions', async () => {
  const storage = new MemoryStorage();
  const personalizer = await open({ storage });
  personalizer.track({ itemId: items[4] });
  await personalizer.setConsent('full');
  assert.deepEqual((await storage.get('profile')).events.map((event) => event.itemId), [items[4]]);
  personalizer.track({ itemId: items[5] });
  await settle();
  assert.equal((await storage.get('profile')).events.length, 2);

  await personalizer.setConsent('session-only');
  assert.equal(await storage.get('profile'), undefined, 'withdrawing storage consent deletes the stored profile');
  assert.equal(personalizer.session().events.length, 2, 'the visit stays in memory');

  await personalizer.setConsent('none');
  assert.equal(personalizer.session().events.length, 0);
  assert.ok(personalizer.recommend({ k: 5 }).every((result) => result.source === 'popular'));
  await assert.rejects(personalizer.setConsent('everything'), { code: 'INVALID_ARGUMENT' });
  personalizer.close();
});

test('erase() deletes the profile and clears storage; a synced model would be re-saved', async () => {
  const storage = new MemoryStorage();
  await storage.set('unrelated', 'left by an earlier version');
  const personalizer = await open({ consent: 'full', storage });
  personalizer.track({ itemId: items[9] });
  await settle();
  await personalizer.erase();
  assert.equal(personalizer.session().events.length, 0);
  assert.deepEqual(storage.keys(), []);
  assert.deepEqual((await personalizer.exportProfile()).events, []);
  personalizer.close();
});

test('two tabs on one profile lose no events and see each other\'s', async () => {
  const storage = new MemoryStorage();
  const profileName = `tabs-${process.pid}`;
  const left = await Personalizer.create({ bundle, consent: 'full', storage, profileName, maxSessionEvents: 100 });
  const right = await Personalizer.create({ bundle, consent: 'full', storage, profileName, maxSessionEvents: 100 });
  for (let index = 0; index < 20; index += 1) {
    left.track({ itemId: items[index] });
    right.track({ itemId: items[20 + index] });
  }
  await eventually(() => left.session().events.length === 40 && right.session().events.length === 40);
  await settle(100);
  const stored = (await storage.get('profile')).events;
  assert.equal(stored.length, 40, 'concurrent writes from two tabs are merged, none lost');
  assert.equal(new Set(stored.map((event) => event.id)).size, 40);
  assert.equal(left.session().events.length, 40, 'the left tab heard the right one');
  assert.equal(right.session().events.length, 40);

  await right.setConsent('none');
  await eventually(() => left.consent() === 'none');
  assert.equal(left.consent(), 'none', 'a consent change reaches the other tabs');
  assert.equal(left.session().events.length, 0);
  assert.equal(await storage.get('profile'), undefined);
  left.close();
  right.close();
});

test('stored values pack and unpack with their bytes', () => {
  const value = { manifestText: 'x', etag: null, bytes: new Uint8Array([1, 2, 3]), nested: [{ more: new Uint8Array(0) }, 4] };
  assert.deepEqual(unpackValue(packValue(value)), value);
  assert.equal(unpackValue(packValue('text')), 'text');
});
