// A static server for a published folder on loopback (ephemeral port) that can be told to
// misbehave, one fault at a time, for the sync fault tests. It also counts requests and records
// their headers, so tests can see If-None-Match and 304s.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';

/**
 * A fault applies to requests whose path ends with `match` ('manifest.json' or '.swm'):
 *   { match, status }                    answer with that HTTP status
 *   { match, delayMs }                   wait before answering
 *   { match, stallAfter }                send the headers and this many body bytes, then stall
 *   { match, truncateAt }                declare the full length, send this many bytes, then close
 *   { match, shortBody: n }              send only n bytes with a matching Content-Length
 *   { match, flipByte: offset }          send the file with one byte's bits flipped
 *   { match, body: Uint8Array|string }   send this instead of the file
 */
export async function startFaultServer(folder) {
  const state = { fault: null, requests: [] };
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://127.0.0.1').pathname;
    state.requests.push({ path, ifNoneMatch: request.headers['if-none-match'] ?? null });
    const fault = state.fault && path.endsWith(state.fault.match) ? state.fault : null;
    const file = normalize(join(folder, decodeURIComponent(path)));
    if (!file.startsWith(folder + sep)) {
      response.writeHead(403).end();
      return;
    }
    let body;
    try {
      body = fault?.body !== undefined ? Buffer.from(fault.body) : await readFile(file);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status) {
      response.writeHead(fault.status, { 'Content-Type': 'text/html' }).end(`<html>${fault.status}</html>`);
      return;
    }
    if (fault?.flipByte !== undefined) {
      body = Buffer.from(body);
      body[fault.flipByte] ^= 0x5a;
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    if (request.headers['if-none-match'] === etag && !fault) {
      response.writeHead(304, { ETag: etag }).end();
      return;
    }
    if (fault?.shortBody !== undefined) body = body.subarray(0, fault.shortBody);
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, ETag: etag });
    if (fault?.truncateAt !== undefined) {
      response.write(body.subarray(0, fault.truncateAt), () => response.destroy());
      return;
    }
    if (fault?.stallAfter !== undefined) {
      response.write(body.subarray(0, fault.stallAfter));
      setTimeout(() => response.destroy(), 5000).unref();
      return;
    }
    response.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    state,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
