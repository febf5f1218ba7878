// Reads a request body as text without ever holding more than `maxBytes` of it: a declared
// Content-Length over the limit is refused before reading, and a chunked body is cut off the
// moment it passes the limit.
import { HttpError } from './http_errors.js';

export async function readBoundedText(request, maxBytes) {
  const declared = request.headers.get('content-length');
  if (declared !== null && !/^[0-9]+$/.test(declared)) throw new HttpError(400, 'INVALID_ARGUMENT', 'Content-Length is not a number');
  if (declared !== null && Number(declared) > maxBytes) {
    throw new HttpError(413, 'LIMIT_EXCEEDED', `the body is ${declared} bytes; at most ${maxBytes}`);
  }
  if (request.body === null) return '';
  // A declared length within the limit is what the HTTP framing delivers: read it in one piece
  // (a stream read per chunk costs more CPU per request than the rerank's own JSON).
  if (declared !== null) return decodeUtf8(new Uint8Array(await request.arrayBuffer()));
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, 'LIMIT_EXCEEDED', `the body is over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
}

function decodeUtf8(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'PARSE_ERROR', 'the body is not UTF-8 text');
  }
}
