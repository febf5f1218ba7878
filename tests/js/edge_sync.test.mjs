// The edge worker following a signed channel instead of a bundled model, in real workerd: the
// published model is taken only after the SDK's full verification, a new publication goes live
// on a later request, and a channel signed with another key leaves the worker without a model
// (503 with the cause's code), never serving an unverified one.
import assert from 'node:assert/strict';
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { shopFixtures } from './fixtures.mjs';
import { makeKeys, newFolder, publish } from './publishing.mjs';
import { startWorkerd } from '../../js/edge/workerd_process.mjs';

let host;
let folder;
let keys;
let fixtures;

function serveFolder(root) {
  return new Promise((resolve) => {
    const server = createServer((request, response) => {
      const file = normalize(join(root, new URL(request.url, 'http://x').pathname));
      if (!file.startsWith(root) || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
      createReadStream(file).pipe(response);
    });
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }));
  });
}

const health = async (worker) => {
  const response = await fetch(new URL('/health', worker.url), { signal: AbortSignal.timeout(10000) });
  return { status: response.status, json: await response.json() };
};

before(async () => {
  fixtures = shopFixtures();
  keys = makeKeys('edge-keys');
  folder = newFolder();
  publish(folder, keys, fixtures.itemknn);
  host = await serveFolder(folder);
});

after(() => host?.close());

test('a synced worker serves the verified published model and follows a new publication', async () => {
  const worker = await startWorkerd({
    manifestUrl: `${host.url}stable/manifest.json`, publicKey: join(keys.dir, 'public-key.pem'), syncIntervalSeconds: 1,
  });
  try {
    const first = await health(worker);
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.equal(first.json.model, 'knn-test-1');
    assert.equal(first.json.source, 'synced');
    publish(folder, keys, fixtures.pop);
    const deadline = Date.now() + 15000;
    let current = first.json;
    while (current.model !== 'pop-test-1' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      current = (await health(worker)).json; // a request past the interval starts a check in its background
    }
    assert.equal(current.model, 'pop-test-1', JSON.stringify(current));
    assert.equal(current.lastCheckResult, 'updated');
  } finally {
    await worker.stop();
  }
});

test('a channel signed with another key leaves the worker with no model: 503, the code, no unverified model', async () => {
  const stranger = makeKeys('edge-stranger');
  const worker = await startWorkerd({ manifestUrl: `${host.url}stable/manifest.json`, publicKey: join(stranger.dir, 'public-key.pem') });
  try {
    const answer = await health(worker);
    assert.equal(answer.status, 503);
    assert.equal(answer.json.error.code, 'BAD_SIGNATURE');
    const rerank = await fetch(new URL('/rerank', worker.url), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"items": []}', signal: AbortSignal.timeout(10000),
    });
    assert.equal(rerank.status, 503);
  } finally {
    await worker.stop();
  }
});
