// Hash routes of the storefront: #/ (home), #/category/<name>, #/product/<item id>, #/cart.
export function parseRoute(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  if (parts[0] === 'category' && parts[1]) return { name: 'category', category: parts[1] };
  if (parts[0] === 'product' && parts[1]) return { name: 'product', itemId: parts[1] };
  if (parts[0] === 'cart') return { name: 'cart' };
  return { name: 'home' };
}

export function routeHash(route) {
  if (route.name === 'category') return `#/category/${encodeURIComponent(route.category)}`;
  if (route.name === 'product') return `#/product/${encodeURIComponent(route.itemId)}`;
  if (route.name === 'cart') return '#/cart';
  return '#/';
}
