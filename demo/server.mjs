#!/usr/bin/env node
// The demo's local server: the storefront page, the SDK as plain ES modules (no bundler), the
// model files, the published folder the SDK syncs from (as a CDN would serve it), the manifest
// signing key's public half, and the shop's own product list. Serves under a strict
// Content-Security-Policy (no 'unsafe-eval') so the demo proves the SDK runs where eval is forbidden.
//
//   node demo/server.mjs [--port 8080] [--host localhost] [--models build/demo/models] [--shop build/demo/shop]
//                        [--published build/demo/published] [--keys build/demo/keys] [--manifest-max-age 5]
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { csvRecords } from '../js/eval/interaction_csv.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: 'localhost' },
    models: { type: 'string', default: 'build/demo/models' },
    shop: { type: 'string', default: 'build/demo/shop' },
    published: { type: 'string', default: 'build/demo/published' },
    keys: { type: 'string', default: 'build/demo/keys' },
    'manifest-max-age': { type: 'string', default: '5' },
  },
});
const manifestMaxAge = Number(values['manifest-max-age']);

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.swm': 'application/octet-stream',
  '.pem': 'application/x-pem-file',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// The page's one inline script is its import map (it maps 'idb' for the SDK); it is allowed by
// its hash, so script-src still has no 'unsafe-inline'.
const pageHtml = await readFile(join(root, 'demo/public/index.html'), 'utf8');
const importMap = pageHtml.match(/<script type="importmap">([\s\S]*?)<\/script>/)?.[1] ?? '';
const importMapHash = `'sha256-${createHash('sha256').update(importMap).digest('base64')}'`;
const CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${importMapHash}; style-src 'self'; img-src 'self' data:; ` +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

// URL prefix -> folder. Nothing outside these folders is ever served.
const MOUNTS = [
  ['/sdk/src/', join(root, 'js/src')],
  ['/sdk/dist/', join(root, 'js/dist')],
  ['/sdk/vendor/idb/', join(root, 'node_modules/idb/build')],
  ['/models/', resolve(root, values.models)],
  ['/published/', resolve(root, values.published)],
  ['/', join(root, 'demo/public')],
];

let catalogJson = null;

async function loadCatalog() {
  const text = await readFile(resolve(root, values.shop, 'catalog.csv'), 'utf8');
  const records = csvRecords(text);
  const header = records.next().value.fields;
  const products = [];
  for (const { fields } of records) {
    const row = Object.fromEntries(header.map((name, index) => [name, fields[index]]));
    products.push({
      itemId: row.item_id, category: row.category, price: row.price === '' ? null : Number(row.price),
      title: row.title, available: row.available !== '0',
    });
  }
  return JSON.stringify({ products });
}

// Only the public half of the signing key is ever served.
const PUBLIC_KEY_PATH = '/keys/public-key.pem';

// A CDN's policy for the published folder: a bundle's name is its hash, so it never changes and
// may be cached for a year; a manifest changes on every publication, so only briefly.
function cacheControl(pathname) {
  if (pathname.startsWith('/published/bundles/')) return 'public, max-age=31536000, immutable';
  if (pathname.startsWith('/published/') && pathname.endsWith('/manifest.json')) return `public, max-age=${manifestMaxAge}`;
  if (pathname.startsWith('/published/')) return 'no-store';
  // Model files change when retrained: always revalidate (cheap with the ETag).
  return 'no-cache';
}

// Of the published folder, devices need bundles and manifests only (history.json stays private).
const PUBLISHED_FILE = /^\/published\/(bundles\/[0-9a-f]{64}\.swm|[a-z0-9][a-z0-9._-]*\/manifest\.json)$/;

function resolveFile(pathname) {
  if (pathname === PUBLIC_KEY_PATH) return resolve(root, values.keys, 'public-key.pem');
  if (pathname.startsWith('/published/') && !PUBLISHED_FILE.test(pathname)) return null;
  for (const [prefix, folder] of MOUNTS) {
    if (!pathname.startsWith(prefix)) continue;
    let relative = decodeURIComponent(pathname.slice(prefix.length));
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = normalize(join(folder, relative));
    if (file !== folder && !file.startsWith(folder + sep)) return null;
    return file;
  }
  return null;
}

function send(response, status, headers, body) {
  response.writeHead(status, { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', ...headers });
  response.end(body);
}

async function handle(request, response) {
  const url = new URL(request.url, 'http://localhost');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'method not allowed\n');
    return;
  }
  if (url.pathname === '/catalog.json') {
    catalogJson ??= await loadCatalog();
    send(response, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' }, catalogJson);
    return;
  }
  const file = resolveFile(url.pathname);
  let info;
  try {
    info = file && (await stat(file));
  } catch {
    info = null;
  }
  if (!info || !info.isFile()) {
    send(response, 404, { 'Content-Type': 'text/plain' }, 'not found\n');
    return;
  }
  const body = await readFile(file);
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  const headers = {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    ETag: etag,
    'Cache-Control': cacheControl(url.pathname),
  };
  if (request.headers['if-none-match'] === etag) {
    send(response, 304, headers);
    return;
  }
  send(response, 200, { ...headers, 'Content-Length': body.length }, request.method === 'HEAD' ? undefined : body);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error) => {
    console.error('demo server:', error);
    if (!response.headersSent) send(response, 500, { 'Content-Type': 'text/plain' }, 'internal error\n');
    else response.destroy();
  });
});
server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  console.log(`shelfwise demo: http://localhost:${port}/  (models from ${values.models})`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
