// The demo storefront in a real browser: the model loads under the strict CSP, the related-items
// box fills when a product is opened, and recommendations follow the shopper. No page errors.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../js/fixtures.mjs';
import { CHROMIUM, demoFiles, launchBrowser, startDemoServer } from './browser.mjs';

const files = demoFiles(repoRoot);
const screenshots = join(repoRoot, 'build/test-logs/screenshots');
let server;
let browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium is missing at ${CHROMIUM} (scripts/setup.sh installs it)`);
  assert.ok(existsSync(join(files.published, 'stable/manifest.json')), 'sample models are missing (scripts/sample_models.sh makes them)');
  mkdirSync(screenshots, { recursive: true });
  server = await startDemoServer(repoRoot, files);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('opening a product fills the related-items box and steers the recommendations', async () => {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`); });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  assert.match(await page.textContent('[data-testid=model-status]'), /model itemknn-.* 3000 items/);
  const trending = page.locator('[data-testid=product-grid] .card');
  assert.equal(await trending.count(), 24);
  const before = await page.locator('#recommended-list .card').evaluateAll((cards) => cards.map((card) => card.dataset.source));
  assert.ok(before.every((source) => source === 'popular'), 'an empty visit gets popular items');

  const opened = await trending.nth(3).getAttribute('data-item-id');
  await trending.nth(3).locator('button').click();
  const related = page.locator('#related-list .card');
  await related.first().waitFor();
  assert.equal(await related.count(), 6);
  const relatedIds = await related.evaluateAll((cards) => cards.map((card) => card.dataset.itemId));
  assert.ok(!relatedIds.includes(opened), 'an item is not related to itself');
  assert.match(await related.first().textContent(), /because you viewed/);
  const sources = await page.locator('#recommended-list .card').evaluateAll((cards) => cards.map((card) => card.dataset.source));
  assert.ok(sources.some((source) => source !== 'popular'), 'recommendations now come from the visit');
  assert.match(await page.textContent('[data-testid=session-box]'), /view ·/);

  await page.click('#add-to-cart');
  assert.match(await page.textContent('#session-list li:first-child'), /^cart ·/);
  await page.screenshot({ path: join(screenshots, 'demo-related-items.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the cart slot follows add-to-cart and a category page is reranked for the shopper', async () => {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  // The cart survives reloads (the shop keeps it in localStorage): start this test with an empty one.
  await page.evaluate(() => localStorage.removeItem('shelfwise-demo-cart'));
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  const { products } = await page.evaluate(() => fetch('/catalog.json').then((response) => response.json()));

  // Open an available trending product and put it in the cart.
  const trending = page.locator('[data-testid=product-grid] .card');
  const opened = await trending.nth(1).getAttribute('data-item-id');
  const product = products.find((candidate) => candidate.itemId === opened);
  await trending.nth(1).locator('button').click();
  await page.locator('#related-list .card').first().waitFor();
  assert.equal(await page.isVisible('[data-testid=cart-box]'), false, 'no cart box before add-to-cart');
  await page.click('#add-to-cart');
  const cartCards = page.locator('#cart-list .card');
  await cartCards.first().waitFor();
  assert.equal(await cartCards.count(), 4);
  const cartIds = await cartCards.evaluateAll((cards) => cards.map((card) => card.dataset.itemId));
  assert.ok(!cartIds.includes(opened), 'the cart slot does not offer what is in the cart');
  assert.match(await page.textContent('[data-testid=cart-box]'), /because you viewed/);

  // The product's category: the shop's own list, every item once, reordered for this visit.
  await page.click(`#categories button[data-category="${product.category}"]`);
  await page.waitForSelector(`[data-testid=product-grid][data-category="${product.category}"]`);
  const gridIds = await page.locator('[data-testid=product-grid] .card').evaluateAll((cards) => cards.map((card) => card.dataset.itemId));
  const categoryIds = products.filter((candidate) => candidate.category === product.category).map((candidate) => candidate.itemId);
  assert.deepEqual([...gridIds].sort(), [...categoryIds].sort());
  assert.notDeepEqual(gridIds, categoryIds, 'the category is reranked, not shown in catalogue order');
  const explained = page.locator('[data-testid=product-grid] .card .why');
  assert.ok(await explained.count() > 0);
  assert.match(await explained.first().textContent(), new RegExp(`because you viewed ${product.title}`));
  // Sold-out items are buried (score x 0.05): on average far below the items one can buy.
  const soldOut = new Set(products.filter((candidate) => !candidate.available).map((candidate) => candidate.itemId));
  const meanPosition = (keep) => {
    const positions = gridIds.map((itemId, position) => (keep(itemId) ? position : -1)).filter((position) => position >= 0);
    return positions.reduce((sum, position) => sum + position, 0) / positions.length;
  };
  if (gridIds.some((itemId) => soldOut.has(itemId))) {
    assert.ok(meanPosition((itemId) => soldOut.has(itemId)) > meanPosition((itemId) => !soldOut.has(itemId)) + gridIds.length / 4);
  }
  await page.screenshot({ path: join(screenshots, 'demo-category-rerank.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
