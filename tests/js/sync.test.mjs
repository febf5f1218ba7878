// Model sync against a local HTTP server on loopback: the happy path (ETag, update event, swap),
// then every fault the issue lists, each of which must keep the model in use and report its code.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MemoryStorage, Personalizer } from 'shelfwise';
import { readBundle, run, shopFixtures } from './fixtures.mjs';
import { startFaultServer } from './fault_server.mjs';
import { makeKeys, newFolder, publish, readPayload, rollback, signedManifest, writeManifest } from './publishing.mjs';

const TIMEOUT_MS = 1200;
let fixtures;
let keys;
let otherKeys;
const servers = [];

before(() => {
  fixtures = shopFixtures();
  keys = makeKeys();
  otherKeys = makeKeys('other-keys');
});

after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function publishedServer(bundles = [fixtures.itemknn]) {
  const folder = newFolder();
  const publications = bundles.map((bundle) => publish(folder, keys, bundle));
  const server = await startFaultServer(folder);
  servers.push(server);
  return { folder, server, publications, manifestUrl: `${server.url}stable/manifest.json` };
}

function create(manifestUrl, options = {}) {
  return Personalizer.create({ manifestUrl, publicKey: keys.publicKeyPem, timeoutMs: TIMEOUT_MS, ...options });
}

function recordEvents(personalizer) {
  const events = [];
  personalizer.addEventListener('update', (event) => events.push({ type: 'update', ...event.detail }));
  personalizer.addEventListener('error', (event) => events.push({ type: 'error', code: event.error.code }));
  return events;
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A second pop bundle with its own version (so its own bytes and hash). */
function trainPop(version) {
  const path = join(fixtures.dir, `${version}.swm`);
  run(['train', '--algo', 'pop', '--events', fixtures.shop.train, '--catalog', fixtures.shop.catalog, '--out', path, '--model-version', version]);
  return path;
}

describe('sync, the happy path', () => {
  test('create() takes the published model; a second check is a 304 thanks to the ETag', async () => {
    const { server, publications, manifestUrl } = await publishedServer();
    const personalizer = await create(manifestUrl);
    const info = personalizer.modelInfo();
    assert.equal(info.version, 'knn-test-1');
    assert.equal(info.kind, 'itemknn');
    assert.equal(info.sha256, publications[0].sha256);
    assert.equal(info.sha256, sha256(fixtures.itemknn));
    assert.equal(personalizer.syncStatus().sequence, 1);

    server.state.requests.length = 0;
    assert.deepEqual(await personalizer.sync(), { updated: false, error: null });
    assert.deepEqual(server.state.requests.map((request) => request.path), ['/stable/manifest.json']);
    assert.match(server.state.requests[0].ifNoneMatch, /^"[0-9a-f]+"$/);
    personalizer.close();
  });

  test('a new publication is taken by sync(): update event, new modelInfo, the visit carries over', async () => {
    const { folder, manifestUrl } = await publishedServer();
    const personalizer = await create(manifestUrl);
    const events = recordEvents(personalizer);
    const first = personalizer.modelInfo().sha256;
    const anchor = personalizer.popular({ k: 1 })[0].itemId;
    personalizer.track({ itemId: anchor });
    const next = publish(folder, keys, fixtures.pop);
    assert.deepEqual(await personalizer.sync(), { updated: true, error: null });
    assert.equal(personalizer.modelInfo().version, 'pop-test-1');
    assert.equal(personalizer.modelInfo().sha256, next.sha256);
    assert.deepEqual(events, [{ type: 'update', source: 'network', version: 'pop-test-1', kind: 'pop', sha256: next.sha256,
      sequence: 2, previousSha256: first }]);
    assert.equal(personalizer.session().events[0].itemId, anchor);
    assert.equal(personalizer.recommend({ k: 5 }).length, 5);
    personalizer.close();
  });

  test('manifestUrl may name the published folder; the channel picks the manifest inside it', async () => {
    const { folder, server } = await publishedServer();
    publish(folder, keys, fixtures.pop, ['--channel', 'beta']);
    const personalizer = await create(server.url, { channel: 'beta' });
    assert.equal(personalizer.modelInfo().version, 'pop-test-1');
    assert.equal(personalizer.syncStatus().manifestUrl, `${server.url}beta/manifest.json`);
    personalizer.close();
  });
});

describe('sync faults keep the current model and report a code', () => {
  test('each fault in turn, then the fixed channel is taken', async () => {
    const { folder, server, manifestUrl } = await publishedServer();
    const personalizer = await create(manifestUrl);
    const events = recordEvents(personalizer);
    const original = personalizer.modelInfo().sha256;
    const originalTop = personalizer.popular({ k: 5 });
    const next = publish(folder, keys, fixtures.pop);
    const payload = readPayload(folder);
    const liveManifest = readFileSync(join(folder, 'stable/manifest.json'), 'utf8');
    const envelope = JSON.parse(liveManifest);

    // A bundle the core rejects, under a manifest whose size and hash match it.
    const corrupt = readBundle(fixtures.pop);
    corrupt[corrupt.length - 7] ^= 0x20;
    const corruptSha = createHash('sha256').update(corrupt).digest('hex');
    writeFileSync(join(folder, 'bundles', `${corruptSha}.swm`), corrupt);
    const nudgedCanaries = structuredClone(payload.canaries);
    nudgedCanaries[0].expected[0].score *= 1.01;

    const faults = [
      ['manifest 404', { match: 'manifest.json', status: 404 }, 'HTTP_ERROR'],
      ['manifest 500', { match: 'manifest.json', status: 500 }, 'HTTP_ERROR'],
      ['manifest too slow', { match: 'manifest.json', delayMs: TIMEOUT_MS + 800 }, 'TIMEOUT'],
      ['manifest not JSON', { match: 'manifest.json', body: '<html>captive portal</html>' }, 'BAD_MANIFEST'],
      ['manifest tampered', { match: 'manifest.json', body: JSON.stringify({ ...envelope, payload: envelope.payload.replace('"sequence":2', '"sequence":9') }) }, 'BAD_SIGNATURE'],
      ['manifest signature flipped', { match: 'manifest.json', body: JSON.stringify({ ...envelope, signature: `${envelope.signature[0] === 'A' ? 'B' : 'A'}${envelope.signature.slice(1)}` }) }, 'BAD_SIGNATURE'],
      ['manifest signed with another key', { match: 'manifest.json', body: signedManifest(payload, otherKeys) }, 'BAD_SIGNATURE'],
      ['min SDK version too high', { match: 'manifest.json', body: signedManifest({ ...payload, min_sdk_version: '99.0.0' }, keys) }, 'SDK_TOO_OLD'],
      ['manifest for another channel', { match: 'manifest.json', body: signedManifest({ ...payload, channel: 'beta' }, keys) }, 'BAD_MANIFEST'],
      ['wrong hash in the manifest', { match: 'manifest.json', body: signedManifest({ ...payload, bundle: { ...payload.bundle, sha256: 'ab'.repeat(32) } }, keys) }, 'HASH_MISMATCH'],
      ['canary mismatch', { match: 'manifest.json', body: signedManifest({ ...payload, canaries: nudgedCanaries }, keys) }, 'CANARY_MISMATCH'],
      ['invalid bundle', { match: 'manifest.json', body: signedManifest({ ...payload, bundle: { url: `../bundles/${corruptSha}.swm`, size: corrupt.length, sha256: corruptSha } }, keys) }, 'CHECKSUM_MISMATCH'],
      ['bundle 404', { match: '.swm', status: 404 }, 'HTTP_ERROR'],
      ['bundle connection cut', { match: '.swm', truncateAt: 1000 }, 'TRUNCATED'],
      ['bundle short body', { match: '.swm', shortBody: 1000 }, 'TRUNCATED'],
      ['bundle stalls', { match: '.swm', stallAfter: 1000 }, 'TIMEOUT'],
      ['bundle flipped byte', { match: '.swm', flipByte: 4000 }, 'HASH_MISMATCH'],
      ['another bundle at the URL', { match: '.swm', body: readBundle(fixtures.itemknn) }, 'HASH_MISMATCH'],
      ['HTML at the bundle URL', { match: '.swm', body: '<html>404</html>' }, 'TRUNCATED'],
    ];
    const outcomes = [];
    for (const [name, fault, code] of faults) {
      server.state.fault = fault;
      const before = events.length;
      const result = await personalizer.sync();
      outcomes.push(`${name}: ${result.error?.code}`);
      assert.equal(result.updated, false, name);
      assert.equal(result.error?.code, code, `${name}: ${result.error?.message}`);
      assert.deepEqual(events.slice(before), [{ type: 'error', code }], name);
      assert.equal(personalizer.modelInfo().sha256, original, `${name} kept the model`);
      assert.deepEqual(personalizer.popular({ k: 5 }), originalTop, `${name} kept serving`);
    }
    assert.equal(personalizer.syncStatus().consecutiveFailures, faults.length);
    assert.equal(personalizer.syncStatus().lastError.code, 'TRUNCATED');
    console.log(`fault outcomes (model kept each time):\n  ${outcomes.join('\n  ')}`);

    server.state.fault = null;
    assert.deepEqual(await personalizer.sync(), { updated: true, error: null });
    assert.equal(personalizer.modelInfo().sha256, next.sha256);
    assert.equal(personalizer.syncStatus().consecutiveFailures, 0);

    // Replaying the first manifest after the second was taken is refused.
    server.state.fault = { match: 'manifest.json', body: signedManifest({ ...readPayload(folder), sequence: 1 }, keys) };
    const stale = await personalizer.sync();
    assert.equal(stale.error?.code, 'STALE_MANIFEST');
    assert.equal(personalizer.modelInfo().sha256, next.sha256);
    personalizer.close();
  });

  test('create() with the wrong public key, or with no reachable channel and nothing stored, rejects with the code', async () => {
    const { manifestUrl, server } = await publishedServer();
    await assert.rejects(create(manifestUrl, { publicKey: otherKeys.publicKeyPem }), { code: 'BAD_SIGNATURE' });
    server.state.fault = { match: 'manifest.json', status: 503 };
    await assert.rejects(create(manifestUrl), { code: 'HTTP_ERROR' });
    await assert.rejects(create('http://127.0.0.1:9/stable/manifest.json'), { code: 'IO_ERROR' });
    await assert.rejects(create(manifestUrl, { publicKey: 'not a key' }), { code: 'INVALID_ARGUMENT' });
    await assert.rejects(Personalizer.create({ manifestUrl }), { code: 'INVALID_ARGUMENT' });
    await assert.rejects(create(manifestUrl, { channel: 'Bad Channel' }), { code: 'INVALID_ARGUMENT' });
    await assert.rejects(create(manifestUrl, { storage: {} }), { code: 'INVALID_ARGUMENT' });
  });

  test('a CryptoKey works as publicKey', async () => {
    const { manifestUrl } = await publishedServer();
    const der = Buffer.from(keys.publicKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const publicKey = await crypto.subtle.importKey('spki', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const personalizer = await create(manifestUrl, { publicKey });
    assert.equal(personalizer.modelInfo().version, 'knn-test-1');
    personalizer.close();
  });
});

describe('storage, rollback and schedule', () => {
  test('offline start: the last good model comes from storage when the channel is unreachable', async () => {
    const { manifestUrl, publications } = await publishedServer();
    const storage = new MemoryStorage();
    const online = await create(manifestUrl, { storage });
    online.close();
    assert.ok(storage.keys().includes('model:current'));
    const offline = await create(manifestUrl, { storage, fetch: () => Promise.reject(new TypeError('offline')) });
    assert.equal(offline.modelInfo().sha256, publications[0].sha256);
    const { updated, error } = await offline.sync();
    assert.equal(updated, false);
    assert.equal(error.code, 'IO_ERROR');
    offline.close();

    // A stored bundle that was altered at rest is not used.
    const record = await storage.get('model:current');
    record.bytes[record.bytes.length - 3] ^= 1;
    await storage.set('model:current', record);
    await assert.rejects(create(manifestUrl, { storage, fetch: () => Promise.reject(new TypeError('offline')) }), { code: 'IO_ERROR' });
  });

  test('rollback() returns to the previous bundle and keeps it when the channel still offers the newer one', async () => {
    const { folder, manifestUrl, server } = await publishedServer();
    const storage = new MemoryStorage();
    const personalizer = await create(manifestUrl, { storage });
    const events = recordEvents(personalizer);
    await assert.rejects(personalizer.rollback(), { code: 'NO_MODEL' });
    const first = personalizer.modelInfo().sha256;
    publish(folder, keys, fixtures.pop);
    assert.equal((await personalizer.sync()).updated, true);
    await personalizer.rollback();
    assert.equal(personalizer.modelInfo().sha256, first);
    assert.equal(events.at(-1).source, 'rollback');
    assert.deepEqual(await personalizer.sync(), { updated: false, error: null });
    assert.equal(personalizer.modelInfo().sha256, first);

    // A later publication is taken again; a server-side rollback reuses the bytes kept locally.
    const third = publish(folder, keys, trainPop('pop-test-3'));
    assert.equal((await personalizer.sync()).updated, true);
    assert.equal(personalizer.modelInfo().sha256, third.sha256);
    rollback(folder, keys, 'knn-test-1');
    server.state.requests.length = 0;
    assert.equal((await personalizer.sync()).updated, true);
    assert.equal(personalizer.modelInfo().sha256, first);
    assert.deepEqual(server.state.requests.map((request) => request.path), ['/stable/manifest.json']);
    assert.equal(personalizer.syncStatus().sequence, 4);
    personalizer.close();
  });

  test('on a schedule, a new publication goes live by itself; failures back off', async () => {
    const { folder, manifestUrl, server } = await publishedServer();
    const personalizer = await create(manifestUrl, { syncIntervalMs: 100, retry: { initialDelayMs: 100, maxDelayMs: 1000 } });
    const errorTimes = [];
    personalizer.addEventListener('error', (event) => errorTimes.push({ at: performance.now(), code: event.error.code }));
    const updated = new Promise((resolve) => personalizer.addEventListener('update', resolve, { once: true }));
    const publishedAt = performance.now();
    const next = publish(folder, keys, fixtures.pop);
    await updated;
    const liveAfterMs = performance.now() - publishedAt;
    assert.equal(personalizer.modelInfo().sha256, next.sha256);
    console.log(`scheduled sync (interval 100 ms): new model live ${liveAfterMs.toFixed(0)} ms after publish`);

    server.state.fault = { match: 'manifest.json', status: 500 };
    const deadline = performance.now() + 5000;
    while (errorTimes.length < 4 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(errorTimes.length >= 4, 'scheduled checks go on failing');
    assert.ok(errorTimes.every((entry) => entry.code === 'HTTP_ERROR'));
    // Gaps after the n-th failure are 100 * 2^(n-1) ms scaled by a jitter in [0.5, 1]: the third
    // is at least twice the first, where a fixed 100 ms schedule would keep them equal.
    const gap = (index) => errorTimes[index + 1].at - errorTimes[index].at;
    assert.ok(gap(0) >= 45, `first retry after ${gap(0)} ms`);
    assert.ok(gap(2) > 1.5 * gap(0), `retries back off: gaps ${gap(0).toFixed(0)}, ${gap(1).toFixed(0)}, ${gap(2).toFixed(0)} ms`);
    assert.ok(personalizer.syncStatus().consecutiveFailures >= 4);
    server.state.fault = null;
    personalizer.close();
    assert.throws(() => personalizer.syncStatus(), { code: 'NO_MODEL' });
    assert.equal((await personalizer.sync()).error?.code, 'NO_MODEL');
  });
});
