// Where a bundle's bytes come from (memory, a URL, or in Node the local disk) and how it is named
// by hash. A bundle on the local disk is read straight into wasm memory: first touches of fresh
// memory pages dominate the load of a large model (about 25 ms per 7 MB on a cloud VM), and a JS
// buffer in between would pay them twice.
import { isNode, nodeBuiltin } from './runtime.js';
import { ShelfwiseError, invalidArgument } from './errors.js';
import { nodeSha256, sha256Hex } from './encoding.js';

/** A bundle file in Node, read into wasm memory by the caller's synchronous `readInto(target)`. */
class LocalBundleFile {
  #fs;
  #url;

  constructor(fs, url, byteLength) {
    this.#fs = fs;
    this.#url = url;
    this.byteLength = byteLength;
  }

  // Synchronous on purpose: `target` views wasm memory, which an await could grow (detaching the
  // view) or hand to another load.
  readInto(target) {
    let descriptor;
    try {
      descriptor = this.#fs.openSync(this.#url, 'r');
      let done = 0;
      while (done < target.length) {
        const read = this.#fs.readSync(descriptor, target, done, target.length - done, done);
        if (read === 0) break;
        done += read;
      }
      if (done !== target.length || this.#fs.fstatSync(descriptor).size !== target.length) {
        throw new Error('the file changed while it was read');
      }
    } catch (error) {
      throw new ShelfwiseError('IO_ERROR', `cannot read bundle ${this.#url.href}: ${error.message}`);
    } finally {
      if (descriptor !== undefined) this.#fs.closeSync(descriptor);
    }
  }
}

async function openLocalFile(url) {
  const fs = await nodeBuiltin('node:fs');
  let size;
  try {
    size = fs.statSync(url).size;
  } catch (error) {
    throw new ShelfwiseError('IO_ERROR', `cannot read bundle ${url.href}: ${error.message}`);
  }
  return new LocalBundleFile(fs, url, size);
}

/**
 * The bundle named by `source`: bytes (Uint8Array) for bytes and remote URLs, a LocalBundleFile
 * for a file in Node.
 */
export async function openBundle(source, fetchImpl) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw invalidArgument('bundle must be bytes (Uint8Array/ArrayBuffer) or a URL');
  }
  const base = isNode ? `file://${process.cwd()}/` : globalThis.location?.href;
  let url;
  try {
    url = new URL(String(source), base);
  } catch {
    throw invalidArgument(`bundle URL '${source}' is not a valid URL`);
  }
  if (url.protocol === 'file:' && isNode) return openLocalFile(url);
  let response;
  try {
    response = await (fetchImpl ?? globalThis.fetch)(url.href);
  } catch (error) {
    throw new ShelfwiseError('IO_ERROR', `cannot fetch bundle ${url.href}: ${error?.message ?? error}`);
  }
  if (!response.ok) throw new ShelfwiseError('IO_ERROR', `fetching bundle ${url.href} answered HTTP ${response.status}`);
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new ShelfwiseError('IO_ERROR', `bundle download from ${url.href} broke off: ${error?.message ?? error}`);
  }
}

/**
 * How to name the bundle by its SHA-256: the hex digest (WebCrypto, computed now: it is async),
 * null where no hash is to be had (insecure pages lack WebCrypto), or in Node a function that
 * hashes the bytes when asked, synchronously: the bundle stays in wasm memory as loaded, and most
 * pages never ask (hashing 7 MB cost about 11 ms of a cold start).
 */
export async function bundleDigest(bundle) {
  if (isNode) return nodeSha256();
  return globalThis.crypto?.subtle ? sha256Hex(bundle) : null;
}
