// Every refusal of the edge worker is a JSON body { error: { code, message } } whose code is one of
// the core's stable names (core/include/shelfwise/error_codes.def), never one made up here, with
// the HTTP status that code means on the wire.
import { ShelfwiseError, checkedCode } from '../src/errors.js';

const STATUS_OF_CODE = Object.freeze({
  PARSE_ERROR: 400,
  INVALID_ARGUMENT: 400,
  UNKNOWN_ITEM: 422,
  LIMIT_EXCEEDED: 413,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NO_MODEL: 503,
});

const NO_STORE = Object.freeze({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });

/** A refusal with an explicit status (413 vs 431 for the same LIMIT_EXCEEDED, say). */
export class HttpError extends ShelfwiseError {
  constructor(status, code, message, headers = {}) {
    super(checkedCode(code), message);
    this.status = status;
    this.headers = headers;
  }
}

export function jsonResponse(status, body, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { ...NO_STORE, ...headers } });
}

/** The response for anything thrown while serving a request. */
export function errorResponse(error) {
  if (error instanceof HttpError) {
    return jsonResponse(error.status, { error: { code: error.code, message: error.message } }, error.headers);
  }
  if (error instanceof ShelfwiseError) {
    return jsonResponse(STATUS_OF_CODE[error.code] ?? 500, { error: { code: error.code, message: error.message } });
  }
  // A bug, not a bad request: say so without echoing internals.
  console.error('shelfwise edge: unexpected error', error);
  return jsonResponse(500, { error: { code: 'INTERNAL', message: 'internal error' } });
}
