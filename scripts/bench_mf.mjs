// The matrix-factorisation rows of `npm run bench`: fold-in time, full-catalogue scoring of
// 100,000 items per dtype in wasm (SIMD) and native side by side (the same benchmark source built
// twice: bench/factor_scoring_bench.cpp), and the size and quality of the 100,000-item bundles in
// each dtype (scripts/mf_bundles.sh): raw and gzip -9, next-for-user HR@20 and its loss against
// float32, and an SDK recommendation with the user source on the pq bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Personalizer } from 'shelfwise';

const DTYPES = ['f32', 'f16', 'int8', 'pq'];

function scoringBench(root, runs) {
  const native = JSON.parse(execFileSync(join(root, 'build/bin/shelfwise_scoring_bench'), ['100000', String(runs)], { encoding: 'utf8' }));
  // --no-liftoff: optimised code from the start, as the SDK runs once warm (see bench_peers.mjs).
  const wasm = JSON.parse(execFileSync(process.execPath,
    ['--no-liftoff', join(root, 'build/emscripten/node-tools/shelfwise_scoring_bench.js'), '100000', String(runs)], { encoding: 'utf8' }));
  return { native, wasm };
}

function bundleFigures(root, folder) {
  const shop = join(folder, 'shop');
  const figures = {};
  for (const dtype of DTYPES) {
    const path = join(folder, `mf-${dtype}.swm`);
    const bytes = readFileSync(path);
    const quality = JSON.parse(execFileSync(join(root, 'build/bin/shelfwise'), ['eval', '--protocol', 'next-for-user', '--model', path,
      '--history', join(shop, 'train.csv'), '--events', join(shop, 'valid_users.csv'), '--k', '20', '--threads', '2', '--json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const manifest = JSON.parse(execFileSync(join(root, 'build/bin/shelfwise'), ['inspect', path, '--json'], { encoding: 'utf8' }));
    figures[dtype] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, hr20: quality['hr@20'], n: quality.n,
      factorBytes: quality.factor_bytes, items: manifest.item_count, factors: manifest.mf.factors };
  }
  return figures;
}

async function sdkRecommend(folder, requests) {
  const personalizer = await Personalizer.create({ bundle: readFileSync(join(folder, 'mf-pq.swm')) });
  const items = personalizer.popular({ k: 50 }).map((result) => result.itemId);
  const trackTimes = [];
  const recommendTimes = [];
  for (let request = 0; request < requests; request += 1) {
    let start = performance.now();
    personalizer.track({ itemId: items[request % items.length] });
    trackTimes.push(performance.now() - start);
    start = performance.now();
    personalizer.recommend({ slot: 'home', k: 20 });
    recommendTimes.push(performance.now() - start);
  }
  personalizer.close();
  const p50 = (times) => times.sort((a, b) => a - b)[times.length >> 1];
  return { track: p50(trackTimes), recommend: p50(recommendTimes) };
}

/** { result keys, table rows } for bench.mjs. `folder` holds the 100,000-item bundles (or null). */
export async function benchMatrixFactorisation(root, folder, { runs = 30, requests = 300 } = {}) {
  const result = {};
  const rows = [];
  const ms = (value) => `${value.toFixed(3)} ms`;
  const { native, wasm } = scoringBench(root, runs);
  result.foldin_event_wasm_ms = wasm.foldin_event_ms;
  result.foldin_event_native_ms = native.foldin_event_ms;
  result.foldin_batch200_wasm_ms = wasm.foldin_batch200_ms;
  result.foldin_batch200_native_ms = native.foldin_batch200_ms;
  rows.push(['fold-in: one event + k x k solve (k=64), wasm / native', `${ms(wasm.foldin_event_ms)} / ${ms(native.foldin_event_ms)}`]);
  rows.push(['fold-in: batch of 200 events + solve, wasm / native', `${ms(wasm.foldin_batch200_ms)} / ${ms(native.foldin_batch200_ms)}`]);
  for (const dtype of DTYPES) {
    result[`score100k_${dtype}_wasm_ms`] = wasm[`score_${dtype}_ms`];
    result[`score100k_${dtype}_native_ms`] = native[`score_${dtype}_ms`];
    rows.push([`score 100,000 items x 64 + top 20, ${dtype}, wasm${wasm.simd ? ' SIMD' : ''} / native`,
      `${ms(wasm[`score_${dtype}_ms`])} / ${ms(native[`score_${dtype}_ms`])}`]);
  }
  if (folder && existsSync(join(folder, 'mf-pq.swm'))) {
    const figures = bundleFigures(root, folder);
    const reference = figures.f32.hr20;
    for (const dtype of DTYPES) {
      const { raw, gzip, hr20, factorBytes } = figures[dtype];
      const loss = reference > 0 ? (reference - hr20) / reference : 0;
      result[`bundle100k_${dtype}_bytes`] = raw;
      result[`bundle100k_${dtype}_gzip_bytes`] = gzip;
      result[`bundle100k_${dtype}_hr_at_20`] = hr20;
      result[`bundle100k_${dtype}_hr_at_20_relative_loss`] = loss;
      result[`bundle100k_${dtype}_items`] = figures[dtype].items;
      rows.push([`mf bundle of the 100,000-item shop (${figures[dtype].items} items seen, k=${figures[dtype].factors}), ${dtype}: ` +
        'raw / gzip -9 (factors), next-for-user HR@20 of returning shoppers (loss vs f32)',
        `${(raw / 1e6).toFixed(2)} MB / ${(gzip / 1e6).toFixed(2)} MB (${(factorBytes / 1e6).toFixed(2)} MB), ` +
        `${hr20.toFixed(4)} (${(100 * loss).toFixed(2)}%, n=${figures[dtype].n})`]);
    }
    const sdk = await sdkRecommend(folder, requests);
    result.mf100k_pq_track_p50_ms = sdk.track;
    result.mf100k_pq_recommend_p50_ms = sdk.recommend;
    rows.push(['SDK on the 100,000-item pq bundle: track / recommend home k=20 (user source), p50',
      `${ms(sdk.track)} / ${ms(sdk.recommend)}`]);
  }
  return { result, rows };
}
