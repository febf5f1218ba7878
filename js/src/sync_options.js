// Checks and completes the sync half of Personalizer.create's options.
import { ShelfwiseError, invalidArgument } from './errors.js';
import { importVerifyingKey } from './public_key.js';
import { checkStorage } from './storage.js';
import { isNode } from './runtime.js';

const CHANNEL_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const DEFAULT_TIMEOUT_MS = 30000;

function positiveMs(value, name, fallback) {
  if (value === undefined || value === null) return fallback;
  if (!Number.isFinite(value) || value <= 0 || value > 7 * 24 * 3600 * 1000) throw invalidArgument(`${name} must be a positive number of milliseconds`);
  return value;
}

/**
 * `manifestUrl` is the channel's manifest.json, or the published folder when it ends with '/'
 * (then `${channel}/manifest.json` inside it is used).
 */
export async function resolveSyncOptions(options) {
  const channel = options.channel ?? 'stable';
  if (typeof channel !== 'string' || !CHANNEL_PATTERN.test(channel)) throw invalidArgument(`channel '${channel}' is not a channel name`);
  if (typeof options.manifestUrl !== 'string' && !(options.manifestUrl instanceof URL)) throw invalidArgument('manifestUrl must be a URL');
  if (options.publicKey === undefined) throw invalidArgument('publicKey is required with manifestUrl: manifests are always verified');
  let manifestUrl;
  try {
    manifestUrl = new URL(String(options.manifestUrl), isNode ? undefined : globalThis.location?.href);
  } catch {
    throw invalidArgument(`manifestUrl '${options.manifestUrl}' is not an absolute URL`);
  }
  if (manifestUrl.protocol !== 'https:' && manifestUrl.protocol !== 'http:') throw invalidArgument('manifestUrl must be http(s)');
  if (manifestUrl.pathname.endsWith('/')) manifestUrl = new URL(`${channel}/manifest.json`, manifestUrl);
  const retry = options.retry ?? {};
  if (retry === null || typeof retry !== 'object') throw invalidArgument('retry must be an object');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw invalidArgument('fetch must be a function');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new ShelfwiseError('INVALID_ARGUMENT', 'no fetch implementation: pass options.fetch');
  return {
    manifestUrl: manifestUrl.href,
    channel,
    publicKey: await importVerifyingKey(options.publicKey),
    storage: checkStorage(options.storage),
    // Called unbound: browsers' fetch refuses any `this` but the global object.
    fetch: (...args) => fetchImpl(...args),
    timeoutMs: positiveMs(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
    syncIntervalMs: positiveMs(options.syncIntervalMs, 'syncIntervalMs', null),
    retry: {
      initialDelayMs: positiveMs(retry.initialDelayMs, 'retry.initialDelayMs', 1000),
      maxDelayMs: positiveMs(retry.maxDelayMs, 'retry.maxDelayMs', 5 * 60 * 1000),
    },
  };
}
