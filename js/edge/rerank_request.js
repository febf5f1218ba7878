// The body of POST /rerank, checked field by field before anything reaches the core:
//
//   { "items": ["sku", ...],            required: the page's candidates, at most 1000
//     "session": ["sku", ...],          optional: the visit's item ids, oldest first (or
//                                       { "itemId", "type": "view"|"cart"|"purchase" } objects)
//     "slot": "category-rerank",        optional recipe name
//     "k": 20,                          optional: results wanted (default: every item)
//     "rules": { ... },                 optional: the rules JSON of README.md (object or its text)
//     "context": { "itemId", "items" }  optional: the product on the page, the item just added
//   }
//
// Without "session" in the body, the visit comes from the X-Shelfwise-Session header, else the
// shelfwise_session cookie (format in js/src/edge_session.js); the SDK writes either only when
// the shopper's consent allows it.
import { EDGE_SESSION_COOKIE, EDGE_SESSION_HEADER, decodeEdgeSession, readCookie } from '../src/edge_session.js';
import { HttpError } from './http_errors.js';

export const LIMITS = Object.freeze({ items: 1000, sessionEvents: 200, k: 1000, itemIdLength: 256, slotLength: 64 });
const KEYS = new Set(['items', 'session', 'slot', 'k', 'rules', 'context']);
const EVENT_TYPES = new Set(['view', 'cart', 'purchase']);

const invalid = (message) => new HttpError(400, 'INVALID_ARGUMENT', message);

function checkItemId(value, field) {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${field} must be a non-empty string`);
  if (value.length > LIMITS.itemIdLength) throw invalid(`${field} is longer than ${LIMITS.itemIdLength} characters`);
  return value;
}

function sessionFromBody(session) {
  if (!Array.isArray(session)) throw invalid("'session' must be an array of item ids");
  if (session.length > LIMITS.sessionEvents) {
    throw new HttpError(413, 'LIMIT_EXCEEDED', `'session' lists ${session.length} events; at most ${LIMITS.sessionEvents}`);
  }
  return session.map((entry, index) => {
    if (typeof entry === 'string') return { type: 'view', itemId: checkItemId(entry, `session[${index}]`) };
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw invalid(`session[${index}] must be an item id or { itemId, type }`);
    const type = entry.type ?? 'view';
    if (!EVENT_TYPES.has(type)) throw invalid(`session[${index}].type must be view, cart or purchase`);
    return { type, itemId: checkItemId(entry.itemId, `session[${index}].itemId`) };
  });
}

function sessionFromHeaders(headers) {
  const header = headers.get(EDGE_SESSION_HEADER);
  const text = header ?? readCookie(headers.get('cookie'));
  if (text === null) return [];
  const where = header !== null ? `the ${EDGE_SESSION_HEADER} header` : `the ${EDGE_SESSION_COOKIE} cookie`;
  try {
    return decodeEdgeSession(text, { maxEvents: LIMITS.sessionEvents }) ?? [];
  } catch (error) {
    throw new HttpError(error.code === 'LIMIT_EXCEEDED' ? 413 : 400, error.code, `${where}: ${error.message}`);
  }
}

/** The validated request: { items, session, slot, k, rules, context }. */
export function parseRerankRequest(text, headers) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'PARSE_ERROR', `the body is not JSON: ${error.message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('the body must be a JSON object');
  for (const key of Object.keys(body)) {
    if (!KEYS.has(key)) throw invalid(`unknown field '${key}' (expected ${[...KEYS].join(', ')})`);
  }
  if (!Array.isArray(body.items)) throw invalid("'items' must be an array of item ids");
  if (body.items.length > LIMITS.items) {
    throw new HttpError(413, 'LIMIT_EXCEEDED', `'items' lists ${body.items.length} candidates; at most ${LIMITS.items}`);
  }
  body.items.forEach((itemId, index) => checkItemId(itemId, `items[${index}]`));
  const slot = body.slot ?? 'category-rerank';
  if (typeof slot !== 'string' || slot.length === 0 || slot.length > LIMITS.slotLength) {
    throw invalid(`'slot' must be a recipe name of 1 to ${LIMITS.slotLength} characters`);
  }
  const k = body.k ?? Math.max(1, body.items.length);
  if (!Number.isInteger(k) || k < 1) throw invalid("'k' must be a positive integer");
  if (k > LIMITS.k) throw new HttpError(413, 'LIMIT_EXCEEDED', `'k' is ${k}; at most ${LIMITS.k}`);
  if (body.rules !== undefined && body.rules !== null && typeof body.rules !== 'string' &&
      (typeof body.rules !== 'object' || Array.isArray(body.rules))) {
    throw invalid("'rules' must be an object (or its JSON text)");
  }
  return {
    items: body.items,
    session: body.session === undefined ? sessionFromHeaders(headers) : sessionFromBody(body.session),
    slot,
    k,
    rules: body.rules ?? undefined,
    context: body.context ?? undefined,
  };
}
