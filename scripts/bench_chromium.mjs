// The 100,000-item GRU request in Debian's headless Chromium (playwright-core, as tests/browser
// launches it): the SDK, TF.js and ORT Web bundled by esbuild into one page script, the weights
// and every .wasm served from this process on 127.0.0.1. Cross-origin isolated (COOP/COEP), so
// performance.now() has its fine resolution; every library runs one thread.
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import { launchBrowser } from '../tests/browser/browser.mjs';

const PAGE_ENTRY = `
import { Personalizer } from '../js/src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web/wasm';
import { runRequestBench } from './bench_100k_core.mjs';
window.runBench = async () => {
  setWasmPaths('/tfjs/');
  setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  ort.env.wasm.wasmPaths = '/ort/';
  const bundle = new Uint8Array(await (await fetch('/model.swm')).arrayBuffer());
  return runRequestBench({ Personalizer, tf, ort, bundle, wasm: '/dist/shelfwise_core.wasm' });
};
`;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

export async function benchRequestChromium(root, bundlePath) {
  const work = mkdtempSync(join(tmpdir(), 'shelfwise-bench-'));
  const entry = join(root, 'scripts', '.bench_chromium_entry.mjs');
  writeFileSync(entry, PAGE_ENTRY);
  let server;
  let browser;
  try {
    await build({
      entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', outfile: join(work, 'page.js'),
      external: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'perf_hooks', 'crypto', 'url'], logLevel: 'error',
    });
    const files = {
      '/': [Buffer.from('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>'), '.html'],
      '/page.js': [readFileSync(join(work, 'page.js')), '.js'],
      '/model.swm': [readFileSync(bundlePath), '.bin'],
    };
    const folders = {
      '/dist/': join(root, 'js/dist'),
      '/ort/': join(root, 'node_modules/onnxruntime-web/dist'),
      '/tfjs/': join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
    };
    server = createServer((request, response) => {
      const path = new URL(request.url, 'http://127.0.0.1').pathname;
      let body = files[path]?.[0];
      let type = files[path]?.[1];
      const folder = Object.keys(folders).find((prefix) => path.startsWith(prefix));
      if (!body && folder && !path.includes('..')) {
        try {
          body = readFileSync(join(folders[folder], path.slice(folder.length)));
          type = extname(path);
        } catch {
          body = undefined;
        }
      }
      response.writeHead(body ? 200 : 404, {
        'content-type': TYPES[type] ?? 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      response.end(body ?? 'not found');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => typeof window.runBench === 'function', null, { timeout: 60000 }).catch(() => {
      throw new Error(`the benchmark page did not start: ${errors.join('; ')}`);
    });
    return await page.evaluate(() => window.runBench());
  } finally {
    await browser?.close();
    server?.close();
    rmSync(entry, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
