// Checks a signed channel manifest (models/publishing/signed_manifest.hpp has the format): the
// envelope, the ES256 signature over the exact bytes of the "payload" string (WebCrypto takes
// the r || s form the publisher writes), then every payload field a device relies on. Nothing in
// the payload is looked at before its signature has been verified.
import { ShelfwiseError } from './errors.js';
import { base64UrlDecode } from './encoding.js';
import { compareVersions, parseVersion, SDK_VERSION } from './version.js';

const SIGNED_FORMAT = 'shelfwise-signed-manifest';
const PAYLOAD_FORMAT = 'shelfwise-channel-manifest';
const PAYLOAD_FORMAT_VERSION = 1;
const MAX_BUNDLE_BYTES = 1 << 30;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

function bad(message) {
  return new ShelfwiseError('BAD_MANIFEST', `manifest: ${message}`);
}

function requireString(object, key, path) {
  if (typeof object?.[key] !== 'string' || object[key].length === 0) throw bad(`'${path}' must be a non-empty string`);
  return object[key];
}

function requireCount(object, key, path, maximum = Number.MAX_SAFE_INTEGER) {
  const value = object?.[key];
  if (!Number.isSafeInteger(value) || value < 1 || value > maximum) throw bad(`'${path}' must be an integer from 1 to ${maximum}`);
  return value;
}

function checkPayload(payload) {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw bad('the payload is not a JSON object');
  if (payload.format !== PAYLOAD_FORMAT) throw bad(`format is '${payload.format}', expected ${PAYLOAD_FORMAT}`);
  if (payload.format_version !== PAYLOAD_FORMAT_VERSION) {
    throw new ShelfwiseError('UNSUPPORTED_VERSION', `manifest format_version ${payload.format_version}; this SDK reads ${PAYLOAD_FORMAT_VERSION}`);
  }
  requireString(payload, 'channel', 'channel');
  requireCount(payload, 'sequence', 'sequence');
  requireString(payload, 'created_at', 'created_at');
  const minimum = requireString(payload, 'min_sdk_version', 'min_sdk_version');
  if (parseVersion(minimum) === null) throw bad(`'min_sdk_version' ${minimum} is not MAJOR.MINOR.PATCH`);
  requireString(payload.model, 'kind', 'model.kind');
  requireString(payload.model, 'version', 'model.version');
  requireString(payload.bundle, 'url', 'bundle.url');
  requireCount(payload.bundle, 'size', 'bundle.size', MAX_BUNDLE_BYTES);
  if (!SHA256_PATTERN.test(payload.bundle?.sha256 ?? '')) throw bad("'bundle.sha256' must be 64 lower-case hex digits");
  if (!Array.isArray(payload.canaries) || payload.canaries.length === 0) throw bad("'canaries' must be a non-empty array");
  // Checked last, once the manifest is known to be genuine and well formed.
  if (compareVersions(minimum, SDK_VERSION) > 0) {
    throw new ShelfwiseError('SDK_TOO_OLD', `model ${payload.model.version} needs SDK ${minimum} or newer; this is ${SDK_VERSION}`);
  }
  return payload;
}

/**
 * Verifies `text` (the manifest.json body) under `publicKey` and returns the checked payload.
 * BAD_MANIFEST, BAD_SIGNATURE, UNSUPPORTED_VERSION or SDK_TOO_OLD otherwise.
 */
export async function verifyManifest(text, publicKey) {
  let envelope;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  if (envelope === null || typeof envelope !== 'object') throw bad('not a JSON object');
  if (envelope.format !== SIGNED_FORMAT) throw bad(`format is '${envelope.format}', expected ${SIGNED_FORMAT}`);
  if (envelope.algorithm !== 'ES256') throw new ShelfwiseError('BAD_SIGNATURE', `signature algorithm '${envelope.algorithm}' is not ES256`);
  const payloadText = requireString(envelope, 'payload', 'payload');
  const signature = base64UrlDecode(envelope.signature);
  if (signature === null || signature.length !== 64) throw new ShelfwiseError('BAD_SIGNATURE', 'signature is not 64 bytes of base64url (r || s)');
  const valid = await globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature,
    new TextEncoder().encode(payloadText));
  if (!valid) {
    const keyId = typeof envelope.key_id === 'string' ? ` (signed by key ${envelope.key_id})` : '';
    throw new ShelfwiseError('BAD_SIGNATURE', `the manifest's signature does not verify under the configured public key${keyId}`);
  }
  let payload;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    throw bad('the signed payload is not JSON');
  }
  return checkPayload(payload);
}
