// The demo storefront: uses only the public SDK, as a shop's page would. Hash routes (router.js)
// for home, category, product and cart pages; every box is recomputed on the device after each
// step of the visit. The model comes from the published channel (signed manifest, verified in the
// tab) and is kept in sync; the shopper's profile stays in this browser, encrypted, under the
// consent chosen in the "Your data" box.
import { IndexedDbStorage, Personalizer, ShelfwiseError } from '/sdk/src/index.js';
import { $, element, money } from './dom.js';
import { Cart } from './cart.js';
import { parseRoute, routeHash } from './router.js';
import { productCard, renderRecommendations } from './product_cards.js';
import { PrivacyPanel, storedConsent } from './privacy_panel.js';
import { ModelStatus } from './model_status.js';

const params = new URLSearchParams(location.search);
// How often the page checks for a new model; ?sync=ms overrides (the browser tests use it).
const SYNC_INTERVAL_MS = Number(params.get('sync') ?? 30000);

// Every slot of the page asks the same ranker with its own recipe; the rules are the shop's.
const SHOP_RULES = Object.freeze({
  home: { filter: { available: true }, max_per_category: 3, diversity: { lambda: 0.7 } },
  // Trending is the same for everyone: popularity alone, what can be bought.
  trending: { filter: { available: true }, weights: { session: 0, context: 0, user: 0, page: 0, popular: 1 } },
  productPage: { filter: { available: true }, max_per_category: 4 },
  cart: { filter: { available: true }, exclude: { in_cart: true } },
  // Sold-out items stay on a category page, buried below what can be bought.
  categoryRerank: { boost: [{ available: false, factor: 0.05 }] },
});

const state = { products: new Map(), byCategory: new Map(), route: { name: 'home' }, personalizer: null, cart: new Cart(), lastAdded: null, privacy: null };

const title = (itemId) => state.products.get(itemId)?.title ?? itemId;
const listOptions = () => ({ products: state.products, onOpen: openProduct });

function navigate(route) {
  history.pushState(null, '', routeHash(route));
  show(route, { navigated: true });
}

function openProduct(itemId) {
  navigate({ name: 'product', itemId });
}

function showGrid(heading, recommendations, category) {
  $('catalogue-title').textContent = heading;
  renderRecommendations($('product-grid'), recommendations.filter((r) => state.products.has(r.itemId)), { ...listOptions(), always: false });
  if (category) $('product-grid').dataset.category = category;
  else delete $('product-grid').dataset.category;
}

function renderProduct(itemId) {
  const personalizer = state.personalizer;
  const product = state.products.get(itemId);
  $('detail-title').textContent = product?.title ?? itemId;
  $('detail-meta').textContent = product
    ? `${product.category} · ${product.price === null ? '' : money.format(product.price)}${product.available ? '' : ' · sold out'}` : '';
  $('add-to-cart').disabled = product ? !product.available : false;
  renderRecommendations($('related-list'), personalizer.recommend({
    slot: 'product-page', k: 6, context: { itemId }, rules: SHOP_RULES.productPage,
  }), listOptions());
  // Feature-detected: an SDK without co-purchase lists simply has no such box.
  $('together-box').hidden = typeof personalizer.boughtTogether !== 'function';
  if (!$('together-box').hidden) {
    const together = personalizer.boughtTogether(itemId, 4, { exclude: state.cart.items });
    renderRecommendations($('together-list'), together, listOptions());
    $('together-hint').hidden = together.length > 0;
  }
  const category = product?.category;
  if (category) {
    showGrid(`More in ${category}`, personalizer.rerank(state.byCategory.get(category), {
      slot: 'category-rerank', k: 12, context: { itemId }, exclude: [itemId], rules: SHOP_RULES.categoryRerank,
    }), null);
  } else {
    showGrid('Trending now', personalizer.recommend({ slot: 'home', k: 12, exclude: [itemId], rules: SHOP_RULES.trending }), null);
  }
}

function renderCartPage() {
  const lines = state.cart.items;
  $('cart-empty').hidden = lines.length > 0;
  $('cart-lines').replaceChildren(...lines.map((itemId) => {
    const product = state.products.get(itemId);
    return element('li', { dataset: { itemId } },
      element('button', { type: 'button', class: 'link', onclick: () => openProduct(itemId) }, title(itemId)),
      element('span', { class: 'price' }, product?.price == null ? '' : money.format(product.price)),
      element('button', { type: 'button', class: 'link remove', onclick: () => { state.cart.remove(itemId); refresh(); } }, 'remove'));
  }));
  const total = lines.reduce((sum, itemId) => sum + (state.products.get(itemId)?.price ?? 0), 0);
  if (lines.length > 0) $('cart-lines').append(element('li', { class: 'total' }, `Total ${money.format(total)}`));
  showGrid('You might also like', state.personalizer.recommend({
    slot: 'cart', k: 12, context: { items: lines.slice(-50) }, rules: SHOP_RULES.cart,
  }), null);
}

function renderMain() {
  const { route, personalizer } = state;
  $('product-detail').hidden = route.name !== 'product';
  $('related-box').hidden = route.name !== 'product';
  if (route.name !== 'product') $('together-box').hidden = true;
  $('cart-view').hidden = route.name !== 'cart';
  if (route.name === 'product') renderProduct(route.itemId);
  else if (route.name === 'cart') renderCartPage();
  else if (route.name === 'category') {
    // The shop's own list for the category, reordered for this shopper.
    showGrid(route.category, personalizer.rerank(state.byCategory.get(route.category) ?? [], {
      slot: 'category-rerank', rules: SHOP_RULES.categoryRerank,
    }), route.category);
  } else {
    showGrid('Trending now', personalizer.recommend({ slot: 'home', k: 24, rules: SHOP_RULES.trending }), null);
  }
  document.body.dataset.route = route.name;
}

function renderAside() {
  const personalizer = state.personalizer;
  const cartItems = state.cart.items;
  // Neither the product on screen nor what is already in the cart.
  const exclude = (state.route.name === 'product' ? [state.route.itemId] : []).concat(cartItems);
  renderRecommendations($('recommended-list'), personalizer.recommend({ slot: 'home', k: 6, exclude, rules: SHOP_RULES.home }), listOptions());
  $('cart-count').textContent = String(cartItems.length);
  $('cart-box').hidden = cartItems.length === 0;
  if (cartItems.length > 0) {
    const added = state.lastAdded ?? cartItems[cartItems.length - 1];
    $('cart-added').textContent = `${state.lastAdded ? 'Added' : 'In your cart:'} ${title(added)}. Goes well with it:`;
    renderRecommendations($('cart-list'), personalizer.recommend({
      slot: 'cart', k: 4, context: { items: cartItems.slice(-50) }, rules: SHOP_RULES.cart,
    }), listOptions());
  }
  const { events } = personalizer.session();
  $('session-list').replaceChildren(...events.slice().reverse().map((event) => element('li', {}, `${event.type} · ${title(event.itemId)}`)));
}

/** Recomputes every box for the visit as it is now. */
function refresh() {
  renderMain();
  renderAside();
  state.privacy.refresh().catch((error) => console.warn('privacy panel:', error));
}

function show(route, { navigated }) {
  state.route = route;
  // A navigation is a view; re-rendering the same page after a reload is not.
  if (navigated && route.name === 'product' && state.products.has(route.itemId)) {
    state.personalizer.track({ type: 'view', itemId: route.itemId });
  }
  if (route.name === 'product' && !state.products.has(route.itemId)) {
    history.replaceState(null, '', '#/');
    state.route = { name: 'home' };
  }
  refresh();
  window.scrollTo(0, 0);
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
    consent: storedConsent(),
    syncIntervalMs: SYNC_INTERVAL_MS,
  });
}

function wireShop() {
  $('categories').replaceChildren(...[...state.byCategory.keys()].sort().map((category) =>
    element('button', { type: 'button', class: 'link', dataset: { category }, onclick: () => navigate({ name: 'category', category }) }, category)));
  $('home-link').addEventListener('click', (event) => { event.preventDefault(); navigate({ name: 'home' }); });
  $('cart-link').addEventListener('click', (event) => { event.preventDefault(); navigate({ name: 'cart' }); });
  $('add-to-cart').addEventListener('click', () => {
    if (state.route.name !== 'product') return;
    const { itemId } = state.route;
    state.cart.add(itemId);
    state.personalizer.track({ type: 'cart', itemId });
    state.lastAdded = itemId;
    refresh();
  });
  $('clear-session').addEventListener('click', () => { state.personalizer.clearSession(); state.lastAdded = null; refresh(); });
  // Back/forward and typed addresses.
  window.addEventListener('hashchange', () => show(parseRoute(location.hash), { navigated: true }));
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
  new ModelStatus(personalizer, Math.round(performance.now() - started)).render();
  personalizer.addEventListener('update', () => refresh());
  state.privacy = new PrivacyPanel(personalizer, refresh);
  wireShop();
  show(parseRoute(location.hash), { navigated: false });
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  const code = error instanceof ShelfwiseError ? `${error.code}: ` : '';
  $('model-status').textContent = `could not start: ${code}${error.message}`;
  $('model-status').classList.add('error');
  console.error(error);
});
