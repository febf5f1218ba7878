// Byte <-> text helpers that work alike in browsers, Node and workerd (no Buffer, no atob quirks).
import { isNode, lazyNodeBuiltin, nodeBuiltin } from './runtime.js';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const STANDARD = new Map([...`${BASE64_ALPHABET}+/`].map((character, index) => [character, index]));
const URL_SAFE = new Map([...`${BASE64_ALPHABET}-_`].map((character, index) => [character, index]));

function decode(text, table) {
  if (text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let length = 0;
  for (const character of text) {
    const value = table.get(character);
    if (value === undefined) return null;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[length] = (buffer >> bits) & 0xff;
      length += 1;
    }
  }
  return bytes.subarray(0, length);
}

/** Base64url without padding (RFC 4648 section 5); null when malformed. */
export function base64UrlDecode(text) {
  return typeof text === 'string' ? decode(text, URL_SAFE) : null;
}

/** Standard base64, padding and white space allowed (PEM bodies); null when malformed. */
export function base64Decode(text) {
  return typeof text === 'string' ? decode(text.replace(/\s+/g, '').replace(/=+$/, ''), STANDARD) : null;
}

export function hex(bytes) {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += byte.toString(16).padStart(2, '0');
  return text;
}

/**
 * Node only: a synchronous lower-case hex SHA-256 of bytes, from node:crypto. Node loads its whole
 * crypto stack on first use (5-8 ms), so where it can hand the module over synchronously
 * (process.getBuiltinModule) that waits for the first hash, which most pages never ask for.
 */
export async function nodeSha256() {
  const lazy = lazyNodeBuiltin('node:crypto');
  const crypto = lazy ? null : await nodeBuiltin('node:crypto');
  return (bytes) => (crypto ?? lazy()).createHash('sha256').update(bytes).digest('hex');
}

/** Lower-case hex SHA-256: node:crypto in Node, else WebCrypto. */
export async function sha256Hex(bytes) {
  // Node's WebCrypto copies the input first (fresh pages: about 30 ms for a 7 MB bundle on a
  // cloud VM) and hashes slower than node:crypto, which reads the bytes where they are.
  if (isNode) return (await nodeSha256())(bytes);
  return hex(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

