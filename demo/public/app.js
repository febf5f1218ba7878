// The demo storefront: uses only the public SDK, as a shop's page would. The model comes from the
// published channel (signed manifest, verified in the tab) and is kept in sync; the shopper's
// profile stays in this browser, encrypted, under the consent chosen in the "Your data" box.
import { IndexedDbStorage, Personalizer, ShelfwiseError } from '/sdk/src/index.js';

// The shop's own consent record (what a consent banner would keep); the SDK is told, never asks.
const CONSENT_KEY = 'shelfwise-demo-consent';
const params = new URLSearchParams(location.search);
// How often the page checks for a new model; ?sync=ms overrides (the browser tests use it).
const SYNC_INTERVAL_MS = Number(params.get('sync') ?? 30000);

const $ = (id) => document.getElementById(id);
const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const state = { products: new Map(), byCategory: new Map(), current: null, lastAdded: null, personalizer: null };

function title(itemId) {
  return state.products.get(itemId)?.title ?? itemId;
}

function productCard(product, onOpen) {
  return element('li', { class: 'card', dataset: { itemId: product.itemId } },
    element('button', { type: 'button', class: 'card-button', onclick: () => onOpen(product.itemId) },
      element('span', { class: 'category' }, product.category),
      element('span', { class: 'title' }, product.title),
      element('span', { class: 'price' }, product.price === null ? '' : money.format(product.price))));
}

function explanation(recommendation) {
  if (recommendation.because) return `because you viewed ${title(recommendation.because)}`;
  if (recommendation.source === 'pinned') return 'featured';
  return recommendation.source === 'popular' ? 'popular right now' : '';
}

// Every slot of the page asks the same ranker with its own recipe; the rules are the shop's.
const SHOP_RULES = Object.freeze({
  home: { filter: { available: true }, max_per_category: 3, diversity: { lambda: 0.7 } },
  productPage: { filter: { available: true }, max_per_category: 4 },
  cart: { filter: { available: true }, exclude: { in_cart: true } },
  // Sold-out items stay on a category page, buried below what can be bought.
  categoryRerank: { boost: [{ available: false, factor: 0.05 }] },
});

function renderRecommendations(list, recommendations) {
  list.replaceChildren(...recommendations.map((recommendation) => {
    const product = state.products.get(recommendation.itemId) ?? { itemId: recommendation.itemId, title: recommendation.itemId, category: '', price: null };
    const card = productCard(product, openProduct);
    card.querySelector('.card-button').append(element('span', { class: 'why' }, explanation(recommendation)));
    card.dataset.source = recommendation.source;
    return card;
  }));
}

function renderGrid(heading, recommendations) {
  $('catalogue-title').textContent = heading;
  $('product-grid').replaceChildren(...recommendations.filter((r) => state.products.has(r.itemId)).map((recommendation) => {
    const card = productCard(state.products.get(recommendation.itemId), openProduct);
    if (recommendation.because) {
      card.querySelector('.card-button').append(element('span', { class: 'why' }, explanation(recommendation)));
    }
    card.dataset.source = recommendation.source;
    return card;
  }));
}

function renderSession() {
  const { events } = state.personalizer.session();
  $('session-list').replaceChildren(...events.slice().reverse().map((event) =>
    element('li', {}, `${event.type} · ${title(event.itemId)}`)));
}

function showModel(prefix = 'model') {
  const info = state.personalizer.modelInfo();
  $('model-status').textContent = `${prefix} ${info.version} · ${info.kind} · ${info.itemCount} items · ${info.sha256?.slice(0, 12) ?? ''}`;
  $('model-status').dataset.sha256 = info.sha256 ?? '';
}

function refresh() {
  const personalizer = state.personalizer;
  const exclude = state.current ? [state.current] : [];
  renderRecommendations($('recommended-list'), personalizer.recommend({ slot: 'home', k: 6, exclude, rules: SHOP_RULES.home }));
  if (state.current) {
    $('related-hint').hidden = true;
    renderRecommendations($('related-list'), personalizer.recommend({
      slot: 'product-page', k: 6, context: { itemId: state.current }, rules: SHOP_RULES.productPage,
    }));
  }
  if (state.lastAdded) {
    $('cart-box').hidden = false;
    $('cart-added').textContent = `Added ${title(state.lastAdded)}. Goes well with it:`;
    renderRecommendations($('cart-list'), personalizer.recommend({
      slot: 'cart', k: 4, context: { itemId: state.lastAdded }, rules: SHOP_RULES.cart,
    }));
  } else {
    $('cart-box').hidden = true;
  }
  renderSession();
}

function openProduct(itemId) {
  const product = state.products.get(itemId);
  state.current = itemId;
  state.personalizer.track({ type: 'view', itemId });
  $('product-detail').hidden = false;
  $('detail-title').textContent = product?.title ?? itemId;
  $('detail-meta').textContent = product ? `${product.category} · ${product.price === null ? '' : money.format(product.price)}${product.available ? '' : ' · sold out'}` : '';
  $('add-to-cart').disabled = product ? !product.available : false;
  refresh();
}

function showCategory(category) {
  // The shop's own list for the category, reordered for this shopper.
  const itemIds = state.byCategory.get(category) ?? [];
  renderGrid(category, state.personalizer.rerank(itemIds, { slot: 'category-rerank', rules: SHOP_RULES.categoryRerank }));
  $('product-grid').dataset.category = category;
}

function showTrending() {
  renderGrid('Trending now', state.personalizer.recommend({ slot: 'home', k: 24, rules: { filter: { available: true } } }));
  delete $('product-grid').dataset.category;
}

async function createPersonalizer() {
  const [publicKey, storage] = await Promise.all([
    fetch('/keys/public-key.pem').then((response) => response.text()),
    IndexedDbStorage.open({ name: 'shelfwise-demo' }),
  ]);
  return Personalizer.create({
    manifestUrl: '/published/stable/manifest.json',
    publicKey,
    storage,
    consent: localStorage.getItem(CONSENT_KEY) ?? 'session-only',
    syncIntervalMs: SYNC_INTERVAL_MS,
  });
}

function wirePrivacy(personalizer) {
  $('consent').value = personalizer.consent();
  document.body.dataset.consent = personalizer.consent();
  $('consent').addEventListener('change', async () => {
    localStorage.setItem(CONSENT_KEY, $('consent').value);
    await personalizer.setConsent($('consent').value);
    document.body.dataset.consent = personalizer.consent(); // applied, storage included
    refresh();
  });
  $('export-profile').addEventListener('click', async () => {
    $('export-output').textContent = JSON.stringify(await personalizer.exportProfile(), null, 2);
    $('export-output').hidden = false;
  });
  $('erase-profile').addEventListener('click', async () => {
    await personalizer.erase();
    $('export-output').hidden = true;
    refresh();
  });
  // Another tab changed the shared profile or the consent.
  personalizer.addEventListener('profile', () => {
    $('consent').value = personalizer.consent();
    document.body.dataset.consent = personalizer.consent();
    refresh();
  });
}

async function main() {
  const started = performance.now();
  const [{ products }, personalizer] = await Promise.all([
    fetch('/catalog.json').then((response) => response.json()),
    createPersonalizer(),
  ]);
  state.personalizer = personalizer;
  for (const product of products) {
    state.products.set(product.itemId, product);
    if (!state.byCategory.has(product.category)) state.byCategory.set(product.category, []);
    state.byCategory.get(product.category).push(product.itemId);
  }
  showModel();
  $('sync-status').textContent = `ready in ${Math.round(performance.now() - started)} ms`;
  personalizer.addEventListener('update', (event) => {
    showModel();
    $('sync-status').textContent = `new model from ${event.detail.source} at ${new Date().toLocaleTimeString()}`;
    refresh();
  });
  personalizer.addEventListener('error', (event) => {
    $('sync-status').textContent = `model check failed (${event.error.code}); still using the current model`;
  });
  wirePrivacy(personalizer);
  $('categories').replaceChildren(
    element('button', { type: 'button', class: 'link', onclick: showTrending }, 'Trending'),
    ...[...state.byCategory.keys()].sort().map((category) =>
      element('button', { type: 'button', class: 'link', dataset: { category }, onclick: () => showCategory(category) }, category)));
  $('home-link').addEventListener('click', (event) => { event.preventDefault(); showTrending(); });
  $('add-to-cart').addEventListener('click', () => {
    if (!state.current) return;
    personalizer.track({ type: 'cart', itemId: state.current });
    state.lastAdded = state.current;
    refresh();
  });
  $('clear-session').addEventListener('click', () => { personalizer.clearSession(); state.lastAdded = null; refresh(); });
  showTrending();
  refresh();
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  const code = error instanceof ShelfwiseError ? `${error.code}: ` : '';
  $('model-status').textContent = `could not start: ${code}${error.message}`;
  $('model-status').classList.add('error');
  console.error(error);
});
