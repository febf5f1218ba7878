// The visit in a compact text an edge worker can read from a first-party cookie or a header, so a
// server-side rerank can personalize without the shop storing anything about the shopper.
//
// Format, version 1 (all printable ASCII, valid as a cookie value and as a header value):
//
//   1|vSKU-00042|vSKU-00017|cSKU-00017
//
// "1" is the format version, then one entry per event, oldest first, separated by "|": a type
// letter (v = view, c = cart, p = purchase) and the item id percent-encoded with
// encodeURIComponent (which escapes "|", ";", ",", spaces and quotes). No times, no event ids, no
// consent flags: only the order of the latest events. Encoding keeps the latest `maxEvents`
// (default 20) and drops the oldest until the text is at most `maxLength` characters (default 1024).
// A reader ignores text of another version (a newer SDK) and rejects malformed version-1 text.
import { ShelfwiseError, invalidArgument } from './errors.js';

export const EDGE_SESSION_VERSION = '1';
export const EDGE_SESSION_COOKIE = 'shelfwise_session';
export const EDGE_SESSION_HEADER = 'X-Shelfwise-Session';
const TYPE_LETTERS = Object.freeze({ view: 'v', cart: 'c', purchase: 'p' });
const LETTER_TYPES = Object.freeze({ v: 'view', c: 'cart', p: 'purchase' });
const MAX_ITEM_ID_LENGTH = 256;
const FULL_CONSENT_COOKIE_SECONDS = 30 * 24 * 3600;

function boundedInteger(value, name, fallback, max) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw invalidArgument(`${name} must be an integer from 1 to ${max}`);
  return value;
}

/** Events ({type, itemId}, oldest first) as version-1 text; '1' alone for an empty visit. */
export function encodeEdgeSession(events, options = {}) {
  const maxEvents = boundedInteger(options.maxEvents, 'maxEvents', 20, 200);
  const maxLength = boundedInteger(options.maxLength, 'maxLength', 1024, 16384);
  const entries = events.slice(-maxEvents).map((event) => `${TYPE_LETTERS[event.type] ?? 'v'}${encodeURIComponent(event.itemId)}`);
  let length = EDGE_SESSION_VERSION.length + entries.reduce((sum, entry) => sum + entry.length + 1, 0);
  let first = 0;
  while (length > maxLength && first < entries.length) {
    length -= entries[first].length + 1;
    first += 1;
  }
  return [EDGE_SESSION_VERSION, ...entries.slice(first)].join('|');
}

/**
 * The events of version-1 text ({type, itemId}, oldest first); null for text of another version.
 * PARSE_ERROR for malformed version-1 text, LIMIT_EXCEEDED beyond `maxEvents` (default 200).
 */
export function decodeEdgeSession(text, options = {}) {
  const maxEvents = boundedInteger(options.maxEvents, 'maxEvents', 200, 10000);
  if (typeof text !== 'string') throw invalidArgument('session text must be a string');
  const parts = text.split('|');
  if (parts[0] !== EDGE_SESSION_VERSION) {
    if (/^[0-9]+$/.test(parts[0])) return null;
    throw new ShelfwiseError('PARSE_ERROR', 'session text does not start with a format version');
  }
  const entries = parts.slice(1);
  if (entries.length > maxEvents) throw new ShelfwiseError('LIMIT_EXCEEDED', `session lists ${entries.length} events; at most ${maxEvents}`);
  return entries.map((entry, index) => {
    const type = LETTER_TYPES[entry[0]];
    let itemId;
    try {
      itemId = decodeURIComponent(entry.slice(1));
    } catch {
      itemId = '';
    }
    if (!type || itemId.length === 0 || itemId.length > MAX_ITEM_ID_LENGTH) {
      throw new ShelfwiseError('PARSE_ERROR', `session entry ${index + 1} is not a type letter (v, c, p) and an item id`);
    }
    return { type, itemId };
  });
}

/** The value of cookie `name` in a Cookie header, or null. */
export function readCookie(cookieHeader, name = EDGE_SESSION_COOKIE) {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return null;
}

/**
 * Sets document.cookie to `value`, or deletes the cookie when `value` is null (no consent).
 * 'session-only' makes a browser-session cookie; 'full' keeps it for 30 days.
 */
export function writeEdgeSessionCookie(value, consent, options = {}) {
  if (typeof document === 'undefined') throw invalidArgument('the edge session cookie needs a browser page (document.cookie)');
  const name = options.name ?? EDGE_SESSION_COOKIE;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw invalidArgument('cookie name must be 1-64 letters, digits, - or _');
  const sameSite = options.sameSite ?? 'Lax';
  if (sameSite !== 'Lax' && sameSite !== 'Strict') throw invalidArgument("sameSite must be 'Lax' or 'Strict'");
  const attributes = [`Path=${options.path ?? '/'}`, `SameSite=${sameSite}`];
  if (options.domain !== undefined) attributes.push(`Domain=${options.domain}`);
  if (options.secure ?? globalThis.location?.protocol === 'https:') attributes.push('Secure');
  if (value === null) {
    document.cookie = [`${name}=`, 'Max-Age=0', ...attributes].join('; ');
    return false;
  }
  if (consent === 'full') attributes.push(`Max-Age=${FULL_CONSENT_COOKIE_SECONDS}`);
  document.cookie = [`${name}=${value}`, ...attributes].join('; ');
  return true;
}
