// The key that manifests must be signed with: an ECDSA P-256 public key given as SPKI PEM text
// (what `shelfwise keygen` writes to public-key.pem) or as a WebCrypto CryptoKey.
import { ShelfwiseError } from './errors.js';
import { base64Decode } from './encoding.js';

const ALGORITHM = Object.freeze({ name: 'ECDSA', namedCurve: 'P-256' });

function badKey(message) {
  return new ShelfwiseError('INVALID_ARGUMENT', `publicKey ${message}`);
}

/** Resolves to a CryptoKey usable for verify(); INVALID_ARGUMENT for anything else. */
export async function importVerifyingKey(publicKey) {
  if (globalThis.crypto?.subtle === undefined) {
    throw new ShelfwiseError('INVALID_ARGUMENT', 'WebCrypto is unavailable (in a browser it needs a secure context: https or localhost)');
  }
  if (typeof CryptoKey !== 'undefined' && publicKey instanceof CryptoKey) {
    const { algorithm, usages, type } = publicKey;
    if (algorithm?.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') throw badKey('must be an ECDSA P-256 key');
    if (type !== 'public' || !usages.includes('verify')) throw badKey('must be a public key with the verify usage');
    return publicKey;
  }
  if (typeof publicKey !== 'string') throw badKey('must be SPKI PEM text or a CryptoKey');
  const match = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(publicKey);
  const der = match ? base64Decode(match[1]) : null;
  if (der === null) throw badKey("is not PEM text with a 'BEGIN PUBLIC KEY' block");
  try {
    return await globalThis.crypto.subtle.importKey('spki', der, ALGORITHM, false, ['verify']);
  } catch (error) {
    throw badKey(`is not an ECDSA P-256 SPKI key: ${error?.message ?? error}`);
  }
}
