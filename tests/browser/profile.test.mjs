// The profile in real Chromium: consent transitions, export, erase, the profile surviving a
// reload, encryption at rest in IndexedDB under a non-extractable key, and two tabs sharing it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../js/fixtures.mjs';
import { CHROMIUM, demoFiles, launchBrowser, startDemoServer } from './browser.mjs';

const files = demoFiles(repoRoot);
let server;
let browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium is missing at ${CHROMIUM}`);
  assert.ok(existsSync(join(files.published, 'stable/manifest.json')), 'run scripts/sample_models.sh first');
  server = await startDemoServer(repoRoot, files);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function openDemo(page) {
  await page.goto(`${server.url}?sync=600000`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
}

async function openProduct(page, position) {
  const card = page.locator('[data-testid=product-grid] .card').nth(position);
  const itemId = await card.getAttribute('data-item-id');
  await card.locator('button').click();
  await page.locator('#related-list .card').first().waitFor();
  return itemId;
}

/** Picks a consent level in the page and waits until the SDK has applied it (storage included). */
async function chooseConsent(page, consent) {
  await page.selectOption('#consent', consent);
  await page.waitForSelector(`body[data-consent="${consent}"]`);
}

async function waitUntil(check, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sessionLength = (page) => page.locator('#session-list li').count();

/** What IndexedDB holds, read raw, as anyone with access to the browser profile could. */
function readDatabase(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('shelfwise-demo');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store) => new Promise((resolve) => {
      const transaction = db.transaction(store);
      const keys = transaction.objectStore(store).getAllKeys();
      const values = transaction.objectStore(store).getAll();
      transaction.oncomplete = () => resolve(keys.result.map((key, index) => [key, values.result[index]]));
    });
    const records = await all('records');
    const keys = await all('keys');
    db.close();
    const key = keys[0]?.[1];
    const profile = records.find(([name]) => name === 'profile')?.[1];
    return {
      recordNames: records.map(([name]) => name).sort(),
      profileFields: profile ? Object.keys(profile).sort() : null,
      profileCiphertextHasSku: profile ? new TextDecoder('latin1').decode(profile.data).includes('SKU-') : null,
      keyCount: keys.length,
      key: key && { type: key.type, algorithm: key.algorithm.name, extractable: key.extractable,
        exportRefused: await crypto.subtle.exportKey('raw', key).then(() => false, () => true) },
    };
  });
}

test('consent, export, erase, reload and two tabs, with the profile encrypted at rest', async () => {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await openDemo(page);
  assert.equal(await page.inputValue('#consent'), 'session-only');
  await chooseConsent(page, 'full');
  const first = await openProduct(page, 1);
  const second = await openProduct(page, 4);
  assert.equal(await sessionLength(page), 2);

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.inputValue('#consent'), 'full');
  assert.equal(await sessionLength(page), 2, 'the profile survives a reload');
  assert.ok((await page.locator('#recommended-list .card').evaluateAll((cards) => cards.map((card) => card.dataset.source)))
    .some((source) => source !== 'popular'), 'recommendations use the restored profile');

  const stored = await readDatabase(page);
  assert.deepEqual(stored.profileFields, ['data', 'iv'], 'records are ciphertext and IV only');
  assert.equal(stored.profileCiphertextHasSku, false);
  assert.deepEqual(stored.key, { type: 'secret', algorithm: 'AES-GCM', extractable: false, exportRefused: true });
  assert.ok(stored.recordNames.includes('model:current'), 'the model is kept for offline start');

  await page.click('#export-profile');
  await page.waitForSelector('[data-testid=export-output]:not([hidden])');
  const exported = JSON.parse(await page.textContent('[data-testid=export-output]'));
  assert.equal(exported.consent, 'full');
  assert.deepEqual(exported.events.map((event) => event.itemId), [first, second]);

  // A second tab of the shop shares the profile, and hears about new events and consent changes.
  const other = await browser.context.newPage();
  await openDemo(other);
  assert.equal(await sessionLength(other), 2);
  await openProduct(other, 7);
  await page.waitForFunction(() => document.querySelectorAll('#session-list li').length === 3);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await sessionLength(page), 3, 'no event is lost between tabs');

  await chooseConsent(page, 'session-only');
  assert.equal((await readDatabase(page)).recordNames.includes('profile'), false, 'narrowing consent deletes the stored profile');
  assert.equal(await sessionLength(page), 3, 'the visit stays in memory');
  await other.waitForFunction(() => document.querySelector('#consent').value === 'session-only');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await sessionLength(page), 0, "'session-only' keeps nothing across a reload");

  await chooseConsent(page, 'none');
  await openProduct(page, 2);
  assert.equal(await sessionLength(page), 0, "'none' records nothing");
  const sources = await page.locator('#recommended-list .card').evaluateAll((cards) => cards.map((card) => card.dataset.source));
  assert.ok(sources.every((source) => source === 'popular'), "'none' gets non-personal recommendations only");
  assert.equal(await page.locator('#related-list .card').count(), 6, 'related-to-this-page still works');

  await chooseConsent(page, 'full');
  await openProduct(page, 3);
  await waitUntil(async () => (await readDatabase(page)).recordNames.includes('profile'), 'the event is stored');
  await page.click('#erase-profile');
  await page.waitForFunction(() => document.querySelectorAll('#session-list li').length === 0);
  const erased = await readDatabase(page);
  assert.equal(erased.recordNames.includes('profile'), false, 'erase deletes the profile');
  await page.click('#export-profile');
  await page.waitForSelector('[data-testid=export-output]:not([hidden])');
  assert.deepEqual(JSON.parse(await page.textContent('[data-testid=export-output]')).events, []);
  await other.waitForFunction(() => document.querySelectorAll('#session-list li').length === 0);
  await page.screenshot({ path: join(repoRoot, 'build/test-logs/screenshots/demo-privacy.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await other.close();
  await page.close();
});
