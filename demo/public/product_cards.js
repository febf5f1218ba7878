// Product cards and recommendation lists, with the short "because you viewed X" explanation.
import { element, money } from './dom.js';

export function productCard(product, onOpen) {
  return element('li', { class: 'card', dataset: { itemId: product.itemId } },
    element('button', { type: 'button', class: 'card-button', onclick: () => onOpen(product.itemId) },
      element('span', { class: 'category' }, product.category),
      element('span', { class: 'title' }, product.title),
      element('span', { class: 'price' }, product.price === null ? '' : money.format(product.price))));
}

export function explanation(recommendation, title) {
  if (recommendation.source === 'together' && recommendation.because) return `bought together with ${title(recommendation.because)}`;
  if (recommendation.because) return `because you viewed ${title(recommendation.because)}`;
  if (recommendation.source === 'pinned') return 'featured';
  return recommendation.source === 'popular' ? 'popular right now' : '';
}

/** Fills `list` with one card per recommendation; `always` shows the explanation on every card. */
export function renderRecommendations(list, recommendations, { products, onOpen, always = true }) {
  const title = (itemId) => products.get(itemId)?.title ?? itemId;
  list.replaceChildren(...recommendations.map((recommendation) => {
    const product = products.get(recommendation.itemId) ??
      { itemId: recommendation.itemId, title: recommendation.itemId, category: '', price: null };
    const card = productCard(product, onOpen);
    const why = explanation(recommendation, title);
    if (why && (always || recommendation.because)) card.querySelector('.card-button').append(element('span', { class: 'why' }, why));
    card.dataset.source = recommendation.source;
    return card;
  }));
}
