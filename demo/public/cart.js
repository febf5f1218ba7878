// The shop's cart. It is the shop's own state, needed to sell anything, so it lives in the page's
// localStorage whatever the personalization consent; the SDK only hears "cart" events, under
// consent, like any other event.
const CART_KEY = 'shelfwise-demo-cart';

export class Cart {
  #itemIds;

  constructor() {
    try {
      const stored = JSON.parse(localStorage.getItem(CART_KEY) ?? '[]');
      this.#itemIds = Array.isArray(stored) ? stored.filter((itemId) => typeof itemId === 'string') : [];
    } catch {
      this.#itemIds = [];
    }
  }

  get items() {
    return this.#itemIds.slice();
  }

  has(itemId) {
    return this.#itemIds.includes(itemId);
  }

  add(itemId) {
    if (this.has(itemId)) return;
    this.#itemIds.push(itemId);
    this.#save();
  }

  remove(itemId) {
    this.#itemIds = this.#itemIds.filter((candidate) => candidate !== itemId);
    this.#save();
  }

  #save() {
    localStorage.setItem(CART_KEY, JSON.stringify(this.#itemIds));
  }
}
