// The shelfwise edge worker (an ES-module worker for workerd / Cloudflare Workers):
//
//   POST /rerank   { items, session, slot, k, rules, context } -> { items, explanations, model }
//   GET  /health   { status, model, kind, items, source }
//
// The main module exports only the handler (workerd takes every export for an entrypoint).
// It reranks through the SDK on the core's .wasm, imported as a compiled module (workerd compiles
// no wasm from bytes at run time and allows no eval). Every refusal is a 4xx with
// { error: { code, message } }; nothing about the shopper is stored or logged.
import wasm from '../dist/shelfwise_core.wasm';
import { EdgeModel } from './edge_model.js';
import { readBoundedText } from './bounded_body.js';
import { parseRerankRequest } from './rerank_request.js';
import { HttpError, errorResponse, jsonResponse } from './http_errors.js';

const MAX_BODY_BYTES = 512 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const ROUTES = Object.freeze({ '/rerank': ['POST'], '/health': ['GET', 'HEAD'] });
// Answers depend on the visit the request carries: never cached or shared.
const PRIVATE = Object.freeze({ 'cache-control': 'private, no-store', vary: 'Cookie, X-Shelfwise-Session' });

let modelPromise = null;

function edgeModel(env) {
  if (!modelPromise) {
    modelPromise = EdgeModel.open(env, wasm);
    modelPromise.catch(() => { modelPromise = null; });
  }
  return modelPromise;
}

function checkHeaders(headers) {
  let size = 0;
  for (const [name, value] of headers) size += name.length + value.length + 4;
  if (size > MAX_HEADER_BYTES) throw new HttpError(431, 'LIMIT_EXCEEDED', `the headers are ${size} bytes; at most ${MAX_HEADER_BYTES}`);
}

function checkJsonContentType(headers) {
  const type = headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(415, 'INVALID_ARGUMENT', 'the body must be application/json');
}

async function handle(request, env, ctx) {
  checkHeaders(request.headers);
  const { pathname } = new URL(request.url);
  const methods = ROUTES[pathname];
  if (!methods) throw new HttpError(404, 'NOT_FOUND', `no route ${pathname} (POST /rerank, GET /health)`);
  if (!methods.includes(request.method)) {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${pathname} takes ${methods.join(' or ')}`, { allow: methods.join(', ') });
  }
  const model = await edgeModel(env);
  model.maybeSync(ctx);
  if (pathname === '/health') return jsonResponse(200, model.health(), { 'cache-control': 'no-store' });
  checkJsonContentType(request.headers);
  const rerank = parseRerankRequest(await readBoundedText(request, MAX_BODY_BYTES), request.headers);
  return jsonResponse(200, model.rerank(rerank), PRIVATE);
}

export default {
  async fetch(request, env, ctx) {
    try {
      return await handle(request, env, ctx);
    } catch (error) {
      return errorResponse(error);
    }
  },
};
