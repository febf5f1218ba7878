// One GET with a deadline covering headers and body, a byte limit, and every failure turned into
// a coded ShelfwiseError: TIMEOUT, HTTP_ERROR (a status other than 200/304), TRUNCATED (the body
// broke off), LIMIT_EXCEEDED (more bytes than allowed) or IO_ERROR (no connection).
import { ShelfwiseError } from './errors.js';

/**
 * @returns {Promise<{status: number, etag: string|null, bytes: Uint8Array|null}>} bytes is null for 304
 */
export async function fetchBytesWithin(fetchImpl, url, { timeoutMs, maxBytes, headers = {}, what }) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const failure = (error, fallbackCode, message) => {
    if (error instanceof ShelfwiseError) return error;
    if (timedOut) return new ShelfwiseError('TIMEOUT', `${what} ${url}: no complete answer within ${timeoutMs} ms`);
    return new ShelfwiseError(fallbackCode, `${what} ${url}: ${message}: ${error?.message ?? error}`);
  };
  try {
    let response;
    try {
      // no-cache: the browser's HTTP cache may keep a copy, but must revalidate it with the server.
      response = await fetchImpl(url, { headers, signal: controller.signal, cache: 'no-cache', credentials: 'omit' });
    } catch (error) {
      throw failure(error, 'IO_ERROR', 'cannot connect');
    }
    const etag = response.headers.get('etag');
    if (response.status === 304) {
      // Finish the (empty) body: a response left unread is reported as an aborted request.
      await response.arrayBuffer().catch(() => {});
      return { status: 304, etag, bytes: null };
    }
    if (response.status !== 200) {
      controller.abort();
      throw new ShelfwiseError('HTTP_ERROR', `${what} ${url} answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
      throw new ShelfwiseError('LIMIT_EXCEEDED', `${what} ${url} is ${declared} bytes; at most ${maxBytes} expected`);
    }
    const chunks = [];
    let received = 0;
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > maxBytes) {
          controller.abort();
          throw new ShelfwiseError('LIMIT_EXCEEDED', `${what} ${url} sent more than ${maxBytes} bytes`);
        }
        chunks.push(value);
      }
    } catch (error) {
      throw failure(error, 'TRUNCATED', `truncated at byte ${received}`);
    }
    if (Number.isFinite(declared) && received < declared) {
      throw new ShelfwiseError('TRUNCATED', `${what} ${url}: truncated at byte ${received} of ${declared}`);
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { status: 200, etag, bytes };
  } finally {
    clearTimeout(timer);
  }
}
