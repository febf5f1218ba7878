// The storefront end to end in Debian's chromium, as a shopper would use it: browse a category's
// products and see "recommended for you" and the category page move toward them, open a product
// bought together with others, add to cart, reload and find everything kept, change consent and
// see the effect. Screenshots of each step go to build/test-logs/screenshots; every JavaScript
// error, console error, failed request and HTTP error of the whole flow is collected: zero allowed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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

/** The item carted or bought together with others in the most sessions of the demo's training log. */
function mostCoCartedItem() {
  const baskets = new Map();
  for (const line of readFileSync(join(files.shop, 'train.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [session, , itemId, , event] = line.split(',');
    if (event !== 'cart' && event !== 'purchase') continue;
    if (!baskets.has(session)) baskets.set(session, new Set());
    baskets.get(session).add(itemId);
  }
  const counts = new Map();
  for (const basket of baskets.values()) {
    if (basket.size < 2) continue;
    for (const itemId of basket) counts.set(itemId, (counts.get(itemId) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

const cardsOf = (page, selector) => page.locator(`${selector} .card`).evaluateAll((cards) =>
  cards.map((card) => ({ itemId: card.dataset.itemId, source: card.dataset.source, why: card.querySelector('.why')?.textContent ?? '' })));

async function chooseConsent(page, consent) {
  await page.selectOption('#consent', consent);
  await page.waitForSelector(`body[data-consent="${consent}"]`);
}

/** Reloads once the page's model check is done, so no request of the old page is cut off by the reload. */
async function reloadWhenIdle(page) {
  await page.waitForSelector('#sync-status[data-last-check]', { timeout: 15000 });
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
}

async function shot(page, name) {
  await page.screenshot({ path: join(screenshots, `storefront-${name}.png`), fullPage: true });
}

test('browse, cart, reload and consent: recommendations follow the shopper, with no error anywhere', async () => {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`); });

  await page.goto(`${server.url}?sync=600000`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  await chooseConsent(page, 'full');
  const { products } = await page.evaluate(() => fetch('/catalog.json').then((response) => response.json()));
  const byId = new Map(products.map((product) => [product.itemId, product]));
  assert.match(await page.textContent('[data-testid=model-status]'), /^model itemknn-\S+ · itemknn · 3000 items/);
  assert.match(await page.textContent('[data-testid=sync-status]'), /ready in \d+ ms/);
  assert.equal(await page.locator('[data-testid=product-grid] .card').count(), 24, 'home: trending');
  const before = await cardsOf(page, '#recommended-list');
  assert.ok(before.every((card) => card.source === 'popular'), 'a new visitor gets popular items');
  await shot(page, '1-home');

  // A category none of the first recommendations is in; browse three of its products.
  const shownCategories = new Set(before.map((card) => byId.get(card.itemId).category));
  const category = [...new Set(products.map((product) => product.category))].find((name) => !shownCategories.has(name));
  await page.click(`#categories button[data-category="${category}"]`);
  await page.waitForSelector(`[data-testid=product-grid][data-category="${category}"]`);
  const categoryBefore = (await cardsOf(page, '[data-testid=product-grid]')).map((card) => card.itemId);
  const viewed = [];
  for (const position of [20, 3, 6]) {
    const card = page.locator('[data-testid=product-grid] .card').nth(position);
    viewed.push(await card.getAttribute('data-item-id'));
    await card.locator('button').click();
    await page.waitForSelector('body[data-route="product"]');
    assert.equal(await page.textContent('#detail-title'), byId.get(viewed.at(-1)).title);
    assert.equal(await page.locator('#related-list .card').count(), 6);
  }
  assert.ok(viewed.every((itemId) => byId.get(itemId).category === category));
  assert.match(page.url(), new RegExp(`#/product/${viewed.at(-1)}$`));
  const afterBrowsing = await cardsOf(page, '#recommended-list');
  const inCategory = (cards) => cards.filter((card) => byId.get(card.itemId)?.category === category).length;
  assert.ok(inCategory(afterBrowsing) >= 2, `recommendations moved toward ${category}: ${JSON.stringify(afterBrowsing)}`);
  const titles = viewed.map((itemId) => byId.get(itemId).title);
  assert.ok(afterBrowsing.some((card) => titles.some((title) => card.why === `because you viewed ${title}`)), 'explained by what was viewed');
  assert.equal((await page.locator('#session-list li').count()), 3);
  await shot(page, '2-product');

  await page.click(`#categories button[data-category="${category}"]`);
  await page.waitForSelector('body[data-route="category"]');
  const categoryAfter = (await cardsOf(page, '[data-testid=product-grid]')).map((card) => card.itemId);
  assert.deepEqual([...categoryAfter].sort(), [...categoryBefore].sort(), 'the same products');
  assert.notDeepEqual(categoryAfter.slice(0, 10), categoryBefore.slice(0, 10), 'the category page is reranked for the visit');
  await shot(page, '3-category');

  // "Frequently bought together" for a product shoppers carted with others (a hash route typed in).
  const together = mostCoCartedItem();
  await page.evaluate((itemId) => { location.hash = `#/product/${itemId}`; }, together);
  await page.waitForFunction((title) => document.querySelector('#detail-title').textContent === title, byId.get(together).title);
  const togetherCards = await cardsOf(page, '#together-list');
  assert.ok(togetherCards.length > 0, 'the co-purchase list has entries for this product');
  assert.ok(togetherCards.every((card) => card.source === 'together' && card.why === `bought together with ${byId.get(together).title}`));
  await page.click('#add-to-cart');
  await page.waitForFunction(() => document.querySelector('#cart-count').textContent === '1');
  const cartSuggestions = await cardsOf(page, '#cart-list');
  assert.ok(cartSuggestions.length > 0 && !cartSuggestions.some((card) => card.itemId === together), 'the cart box suggests, never what is in the cart');
  await page.click('#cart-link');
  await page.waitForSelector('body[data-route="cart"]');
  assert.deepEqual(await page.locator('#cart-lines li[data-item-id]').evaluateAll((lines) => lines.map((line) => line.dataset.itemId)), [together]);
  await shot(page, '4-cart');

  // Reload: the cart (the shop's), the visit and the consent (the profile) are all still there.
  const sessionBefore = await page.locator('#session-list li').allTextContents();
  const recommendedBefore = await cardsOf(page, '#recommended-list');
  await reloadWhenIdle(page);
  assert.equal(await page.inputValue('#consent'), 'full');
  assert.equal(await page.textContent('#cart-count'), '1');
  assert.equal(await page.getAttribute('body', 'data-route'), 'cart');
  assert.deepEqual(await page.locator('#session-list li').allTextContents(), sessionBefore, 'no event lost or added by the reload');
  assert.deepEqual(await cardsOf(page, '#recommended-list'), recommendedBefore);
  await page.waitForFunction(() => document.querySelector('#stored-summary').dataset.events === '5');
  assert.match(await page.textContent('#stored-summary'), /5 events stored on this device/);
  assert.ok((await page.textContent('#intent')).length > 0, 'the panel says what the model sees, or that the SDK does not offer it');

  // Consent off: nothing kept, nothing personal; the cart stays (it is the shop's, not a profile).
  await chooseConsent(page, 'none');
  await page.waitForFunction(() => document.querySelector('#stored-summary').textContent.startsWith('Nothing is kept'));
  assert.equal(await page.locator('#session-list li').count(), 0);
  assert.ok((await cardsOf(page, '#recommended-list')).every((card) => card.source === 'popular'));
  assert.equal(await page.textContent('#cart-count'), '1');
  await shot(page, '5-consent-off');
  await reloadWhenIdle(page);
  assert.equal(await page.locator('#session-list li').count(), 0, 'nothing comes back after a reload');
  assert.deepEqual(problems, []);
  await page.close();
});
