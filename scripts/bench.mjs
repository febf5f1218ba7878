// The benchmark table: shipped size, cold start, and recommend/related latency through the SDK
// in Node, with the native core on the same model and events for the wasm/native ratio, and the
// ranker: a rerank of 200 candidates with every business rule.
// All figures are measured in this one run (the machine is shared and noisy: read the ratios).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Personalizer } from 'shelfwise';
import { parseInteractionLog } from '../js/eval/interaction_csv.js';
import { evaluateNextItem } from '../js/eval/next_item_eval.js';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string' }, events: { type: 'string' }, dataset: { type: 'string', default: '' },
    json: { type: 'boolean' }, requests: { type: 'string', default: '20000' },
    // The GRU row: a "gru" bundle evaluated on the same events (per event: hidden-state update,
    // scoring of the whole catalogue, top-20).
    'gru-model': { type: 'string', default: '' },
    // The rerank row needs catalogue attributes; a bundle without them is swapped for this one.
    'catalog-model': { type: 'string', default: 'build/demo/models/itemknn.swm' },
  },
});

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function sizes(paths) {
  const raw = paths.reduce((sum, path) => sum + readFileSync(path).length, 0);
  const gzip = gzipSync(Buffer.concat(paths.map((path) => readFileSync(path))), { level: 9 }).length;
  return { raw, gzip };
}

function coldStart(model, runs) {
  const script = `
    const t0 = performance.now();
    const { Personalizer } = await import('shelfwise');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(${JSON.stringify(model)});
    const t1 = performance.now();
    const p = await Personalizer.create({ bundle: bytes });
    const t2 = performance.now();
    p.recommend({ k: 20 });
    const t3 = performance.now();
    console.log(JSON.stringify({ total: t3 - t0, load: t2 - t1, read: t1 - t0 }));`;
  const samples = [];
  for (let run = 0; run < runs; run += 1) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    samples.push(JSON.parse(result.stdout));
  }
  const median = (key) => samples.map((sample) => sample[key]).sort((a, b) => a - b)[samples.length >> 1];
  return { total: median('total'), load: median('load') };
}

function latency(personalizer, log, requests) {
  const recommendTimes = [];
  const relatedTimes = [];
  const trackTimes = [];
  outer: for (let pass = 0; pass < 100; pass += 1) {
    for (const session of log.sessions) {
      personalizer.clearSession();
      for (const event of session.events) {
        let start = performance.now();
        personalizer.track({ type: event.type, itemId: event.itemId, time: event.time ?? 0 });
        trackTimes.push(performance.now() - start);
        start = performance.now();
        personalizer.recommend({ k: 20 });
        recommendTimes.push(performance.now() - start);
        start = performance.now();
        personalizer.related(event.itemId, 20);
        relatedTimes.push(performance.now() - start);
        if (recommendTimes.length >= requests) break outer;
      }
    }
  }
  const summary = (times) => {
    const sorted = times.sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), n: sorted.length };
  };
  return { recommend: summary(recommendTimes), related: summary(relatedTimes), track: summary(trackTimes) };
}

// A category page of 200 candidates reranked for the visit so far, with every rule: filters,
// exclusions, boost and bury, two pins, a category cap and MMR diversity.
async function rerankLatency(modelPath, log, requests) {
  const ranker = await Personalizer.create({ bundle: readFileSync(modelPath) });
  const candidates = ranker.popular({ k: 200 }).map((r) => r.itemId);
  const categories = [...new Set(candidates.map((itemId) => ranker.item(itemId)?.category).filter(Boolean))].sort();
  const rules = {
    filter: { exclude_categories: categories.slice(0, 1), price: { min: 1, max: 1e6 }, available: true },
    exclude: { purchased: true, in_cart: true },
    boost: [{ categories: categories.slice(1, 3), factor: 1.5 }, { price: { max: 10 }, factor: 0.7 }],
    pin: [{ item: candidates[150], position: 1 }, { item: candidates[120], position: 4 }],
    max_per_category: 20,
    diversity: { lambda: 0.7 },
  };
  const times = [];
  outer: for (let pass = 0; pass < 100; pass += 1) {
    for (const session of log.sessions) {
      ranker.clearSession();
      for (const event of session.events) {
        ranker.track({ type: event.type, itemId: event.itemId, time: event.time ?? 0 });
        const start = performance.now();
        ranker.rerank(candidates, { slot: 'category-rerank', k: 40, rules });
        times.push(performance.now() - start);
        if (times.length >= requests) break outer;
      }
    }
  }
  const model = ranker.modelInfo().version;
  ranker.close();
  const sorted = times.sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), n: sorted.length, model };
}

// Per event: track() then recommend({ k: 20 }); the GRU's state update happens inside recommend.
async function gruRow(modelPath, log, requests) {
  const gru = await Personalizer.create({ bundle: readFileSync(modelPath) });
  const info = gru.modelInfo();
  const times = [];
  outer: for (let pass = 0; pass < 100; pass += 1) {
    for (const session of log.sessions) {
      gru.clearSession();
      for (const event of session.events) {
        gru.track({ type: event.type, itemId: event.itemId, time: event.time ?? 0 });
        const start = performance.now();
        gru.recommend({ k: 20 });
        times.push(performance.now() - start);
        if (times.length >= requests) break outer;
      }
    }
  }
  gru.close();
  const native = JSON.parse(execFileSync(join(root, 'build/bin/shelfwise'),
    ['eval', '--model', modelPath, '--events', values.events, '--k', '20', '--json'], { encoding: 'utf8' }));
  const sorted = times.sort((a, b) => a - b);
  const size = sizes([modelPath]);
  const manifest = info.manifest;
  return {
    model: info.version, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), n: sorted.length,
    nativeP50: native.ms_p50_per_prediction, recall: native['recall@20'], mrr: native['mrr@20'],
    bytes: size.raw, gzipBytes: size.gzip, hiddenSize: manifest.hyperparameters?.hidden_size ?? null,
    trainingEventsPerSecond: manifest.training?.training_events_per_second ?? null,
  };
}

const dist = join(root, 'js/dist');
const core = sizes([join(dist, 'shelfwise_core.wasm'), join(dist, 'shelfwise_core.js')]);
const sdkFiles = readdirSync(join(root, 'js/src')).filter((name) => name.endsWith('.js')).map((name) => join(root, 'js/src', name));
const sdk = sizes(sdkFiles);
const modelSize = sizes([values.model]);
const cold = coldStart(values.model, 7);

const log = parseInteractionLog(readFileSync(values.events, 'utf8'), values.events);
const personalizer = await Personalizer.create({ bundle: readFileSync(values.model) });
const info = personalizer.modelInfo();
const timing = latency(personalizer, log, Number(values.requests));
const rerankModel = info.hasCatalog ? values.model : resolve(root, values['catalog-model']);
const rerank = await rerankLatency(rerankModel, log, Math.min(5000, Number(values.requests)));
// The same prediction loop in wasm and native, for the wasm/native ratio.
const wasmEval = evaluateNextItem(personalizer, log, 20);
personalizer.close();
const nativeEval = JSON.parse(execFileSync(join(root, 'build/bin/shelfwise'),
  ['eval', '--model', values.model, '--events', values.events, '--k', '20', '--json'], { encoding: 'utf8' }));
const gru = values['gru-model'] ? await gruRow(values['gru-model'], log, Math.min(5000, Number(values.requests))) : null;

const result = {
  dataset: values.dataset,
  model_version: info.version,
  items: info.itemCount,
  model_bytes: modelSize.raw,
  model_gzip_bytes: modelSize.gzip,
  wasm_glue_bytes: core.raw,
  wasm_glue_gzip_bytes: core.gzip,
  sdk_js_bytes: sdk.raw,
  sdk_js_gzip_bytes: sdk.gzip,
  cold_start_ms: cold.total,
  model_load_ms: cold.load,
  recommend_p50_ms: timing.recommend.p50,
  recommend_p95_ms: timing.recommend.p95,
  related_p50_ms: timing.related.p50,
  related_p95_ms: timing.related.p95,
  track_p50_ms: timing.track.p50,
  rerank200_p50_ms: rerank.p50,
  rerank200_p95_ms: rerank.p95,
  rerank200_model_version: rerank.model,
  eval_ms_per_prediction_wasm: wasmEval.msPerPrediction,
  eval_ms_per_prediction_native: nativeEval.ms_per_prediction,
  wasm_over_native: wasmEval.msPerPrediction / nativeEval.ms_per_prediction,
  recall_at_20: nativeEval['recall@20'],
  mrr_at_20: nativeEval['mrr@20'],
};
if (gru) {
  Object.assign(result, {
    gru_model_version: gru.model,
    gru_hidden_size: gru.hiddenSize,
    gru_model_bytes: gru.bytes,
    gru_model_gzip_bytes: gru.gzipBytes,
    gru_event_p50_ms_wasm: gru.p50,
    gru_event_p95_ms_wasm: gru.p95,
    gru_event_p50_ms_native: gru.nativeP50,
    gru_wasm_over_native_p50: gru.p50 / gru.nativeP50,
    gru_recall_at_20: gru.recall,
    gru_mrr_at_20: gru.mrr,
    gru_training_events_per_second: gru.trainingEventsPerSecond,
  });
}

if (values.json) {
  console.log(JSON.stringify(result));
} else {
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const ms = (value) => `${value.toFixed(3)} ms`;
  const rows = [
    ['dataset', result.dataset],
    ['model', `${result.model_version} (${result.items} items)`],
    ['model bundle, raw / gzip -9', `${kb(result.model_bytes)} / ${kb(result.model_gzip_bytes)}`],
    ['.wasm + glue, raw / gzip -9', `${kb(result.wasm_glue_bytes)} / ${kb(result.wasm_glue_gzip_bytes)}`],
    ['SDK JS (unminified), raw / gzip -9', `${kb(result.sdk_js_bytes)} / ${kb(result.sdk_js_gzip_bytes)}`],
    ['cold start: import to first recommendation', ms(result.cold_start_ms)],
    ['  of which model load (validate + index)', ms(result.model_load_ms)],
    [`recommend k=20, p50 / p95 (n=${timing.recommend.n})`, `${ms(result.recommend_p50_ms)} / ${ms(result.recommend_p95_ms)}`],
    [`related k=20, p50 / p95 (n=${timing.related.n})`, `${ms(result.related_p50_ms)} / ${ms(result.related_p95_ms)}`],
    ['track, p50', ms(result.track_p50_ms)],
    [`rerank 200 candidates with all rules, k=40, p50 / p95 (n=${rerank.n}${rerankModel === values.model ? '' : `, ${rerank.model}`})`,
      `${ms(result.rerank200_p50_ms)} / ${ms(result.rerank200_p95_ms)}`],
    ['eval loop per prediction, wasm / native', `${ms(result.eval_ms_per_prediction_wasm)} / ${ms(result.eval_ms_per_prediction_native)} (x${result.wasm_over_native.toFixed(2)})`],
    ['quality: recall@20 / mrr@20', `${result.recall_at_20.toFixed(4)} / ${result.mrr_at_20.toFixed(4)}`],
  ];
  if (gru) {
    rows.push(
      [`gru model (d=${result.gru_hidden_size}), bundle raw / gzip -9`, `${gru.model}: ${kb(result.gru_model_bytes)} / ${kb(result.gru_model_gzip_bytes)}`],
      [`gru per event: update + score all items + top-20, p50 wasm / native (n=${gru.n})`,
        `${ms(result.gru_event_p50_ms_wasm)} / ${ms(result.gru_event_p50_ms_native)} (x${result.gru_wasm_over_native_p50.toFixed(2)}), p95 wasm ${ms(result.gru_event_p95_ms_wasm)}`],
      ['gru quality: recall@20 / mrr@20', `${result.gru_recall_at_20.toFixed(4)} / ${result.gru_mrr_at_20.toFixed(4)}`],
      ['gru training events/s (as trained)', result.gru_training_events_per_second === null ? 'n/a' : result.gru_training_events_per_second.toFixed(0)],
    );
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`| ${'what'.padEnd(width)} | value |\n|${'-'.repeat(width + 2)}|-------|`);
  for (const [name, value] of rows) console.log(`| ${name.padEnd(width)} | ${value} |`);
}
