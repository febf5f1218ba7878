// The demo following its channel: publishing a new model (the real CLI, into a copy of the demo's
// published folder) makes it live in an open page within about one sync interval, with the cache
// headers a CDN would send. Prints the measured time from manifest change to new model live.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, run } from '../js/fixtures.mjs';
import { CHROMIUM, demoFiles, launchBrowser, startDemoServer } from './browser.mjs';

const SYNC_INTERVAL_MS = 1000;
const files = demoFiles(repoRoot);
let published;
let server;
let browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium is missing at ${CHROMIUM}`);
  assert.ok(existsSync(join(files.published, 'stable/manifest.json')), 'run scripts/sample_models.sh first');
  published = mkdtempSync(join(tmpdir(), 'shelfwise-demo-published-'));
  cpSync(files.published, published, { recursive: true });
  server = await startDemoServer(repoRoot, { ...files, published });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
  rmSync(published, { recursive: true, force: true });
});

test('a new publication goes live in the open page within one sync interval', async () => {
  const page = await browser.context.newPage();
  const headers = new Map();
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith('/published/')) headers.set(pathname.endsWith('.swm') ? 'bundle' : 'manifest', response.headers()['cache-control']);
  });
  await page.goto(`${server.url}?sync=${SYNC_INTERVAL_MS}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  const before = await page.getAttribute('[data-testid=model-status]', 'data-sha256');
  assert.match(await page.textContent('[data-testid=model-status]'), /itemknn/);
  assert.equal(headers.get('bundle'), 'public, max-age=31536000, immutable');
  assert.match(headers.get('manifest'), /^public, max-age=\d+$/);

  const publishedAt = Date.now();
  const publication = JSON.parse(run(['publish', '--bundle', join(files.models, 'pop.swm'), '--dir', published,
    '--key', join(files.keys, 'signing-key.pem'), '--json']));
  await page.waitForFunction((sha) => document.querySelector('[data-testid=model-status]').dataset.sha256 === sha,
    publication.sha256, { timeout: SYNC_INTERVAL_MS + 10000 });
  const liveAfterMs = Date.now() - publishedAt;
  assert.notEqual(before, publication.sha256);
  assert.match(await page.textContent('[data-testid=model-status]'), / pop · 3000 items/);
  assert.match(await page.textContent('[data-testid=sync-status]'), /new model from network/);
  assert.ok(liveAfterMs < SYNC_INTERVAL_MS + 3000, `live after ${liveAfterMs} ms`);
  console.log(`demo sync: new model live ${liveAfterMs} ms after the manifest changed (sync interval ${SYNC_INTERVAL_MS} ms)`);
  await page.close();
});
