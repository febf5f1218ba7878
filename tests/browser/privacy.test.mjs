// The product's promise, checked on the wire: browsing the demo with full personalization (and
// the model sync running every 300 ms) sends no event data, item history or profile field in any
// request: every request is a GET for a static file, with no body, and no URL or header names an
// item the shopper looked at.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../js/fixtures.mjs';
import { CHROMIUM, demoFiles, launchBrowser, startDemoServer } from './browser.mjs';

const files = demoFiles(repoRoot);
const STATIC_PATHS = [
  /^\/$/, /^\/([a-z_]+\.js|style\.css|catalog\.json)$/, /^\/sdk\/src\/[a-z_]+\.js$/, /^\/sdk\/dist\/shelfwise_core\.(js|wasm)$/,
  /^\/sdk\/vendor\/idb\/[a-z-]+\.js$/, /^\/keys\/public-key\.pem$/, /^\/published\/stable\/manifest\.json$/,
  /^\/published\/bundles\/[0-9a-f]{64}\.swm$/,
];
let server;

async function chooseConsent(page, consent) {
  await page.selectOption('#consent', consent);
  await page.waitForSelector(`body[data-consent="${consent}"]`);
}

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

test('no request carries event data, item history or profile fields', async () => {
  const page = await browser.context.newPage();
  const requests = [];
  await page.route('**/*', async (route) => {
    const request = route.request();
    requests.push({ url: request.url(), method: request.method(), body: request.postData(), headers: await request.allHeaders(),
      at: Date.now() });
    await route.continue();
  });
  const sockets = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));

  await page.goto(`${server.url}?sync=300`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  await chooseConsent(page, 'full');
  const browsingStarted = Date.now();
  const viewed = [];
  for (const position of [2, 5, 9]) {
    const card = page.locator('[data-testid=product-grid] .card').nth(position);
    viewed.push(await card.getAttribute('data-item-id'));
    await card.locator('button').click();
    await page.locator('#related-list .card').first().waitFor();
  }
  await page.click('#add-to-cart');
  const related = page.locator('#related-list .card').first();
  viewed.push(await related.getAttribute('data-item-id'));
  await related.locator('button').click();
  await page.click('#export-profile');
  await page.waitForSelector('[data-testid=export-output]:not([hidden])');
  await page.waitForTimeout(1500); // several sync cycles after the shopper's clicks
  const exported = JSON.parse(await page.textContent('[data-testid=export-output]'));
  assert.deepEqual(exported.events.map((event) => event.itemId), viewed.slice(0, 3).concat(viewed[2], viewed[3]));

  const afterBrowsing = requests.filter((request) => request.at >= browsingStarted);
  assert.ok(afterBrowsing.some((request) => request.url.endsWith('/manifest.json')), 'the sync kept checking while the shopper browsed');
  assert.deepEqual(sockets, []);
  const secrets = [...new Set(viewed)];
  const eventIds = exported.events.map((event) => event.id);
  for (const request of requests) {
    const { pathname, origin, search } = new URL(request.url);
    assert.equal(origin, new URL(server.url).origin, `${request.url}: only the shop's own server is contacted`);
    assert.equal(request.method, 'GET', request.url);
    assert.equal(request.body, null, `${request.url} has a body`);
    assert.ok(STATIC_PATHS.some((pattern) => pattern.test(pathname)), `${pathname} is not one of the static files`);
    assert.ok(search === '' || search === '?sync=300', `${request.url} has a query`);
    // The path is one of the static files above; what else a request carries is its query and headers.
    const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`).join('\n');
    assert.ok(!('cookie' in request.headers), `${request.url} sends cookies`);
    for (const secret of [...secrets, ...eventIds]) assert.ok(!`${request.url}\n${headers}`.includes(secret), `${request.url} carries '${secret}'`);
    for (const field of ['itemId', 'events', 'profile', 'consent', 'SKU-']) {
      assert.ok(!`${search}\n${headers}`.includes(field), `${request.url} carries '${field}'`);
    }
  }
  console.log(`privacy: ${requests.length} requests checked (${afterBrowsing.length} after the first click), none carries shopper data`);
  await page.close();
});
