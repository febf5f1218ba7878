// The benchmark table: shipped size, cold start, and recommend/related latency through the SDK
// in Node, with the native core on the same model and events for the wasm/native ratio, and the
// ranker: a rerank of 200 candidates with every business rule.
// `--model` may be repeated: one value column per model, same events.
// All figures are measured in this one run (the machine is shared and noisy: read the ratios).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Personalizer } from 'shelfwise';
import { parseInteractionLog } from '../js/eval/interaction_csv.js';
import { evaluateNextItem } from '../js/eval/next_item_eval.js';
import { edgeBundleSize, edgeRerankInIsolate, edgeRerankLatency } from './bench_edge.mjs';
import { benchMatrixFactorisation } from './bench_mf.mjs';
import { benchRequestChromium } from './bench_chromium.mjs';
import { benchRequestNode } from './bench_peers.mjs';
import { codeGzipBytes, heapGrowthSwaps } from './bench_sdk.mjs';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', multiple: true }, events: { type: 'string' }, dataset: { type: 'string', default: '' },
    json: { type: 'boolean' }, requests: { type: 'string', default: '20000' },
    // The GRU row: a "gru" bundle evaluated on the same events (per event: hidden-state update,
    // scoring of the whole catalogue, top-20).
    'gru-model': { type: 'string', default: '' },
    // The same GRU with f16 item embeddings (shelfwise quantize --dtype f16): size, speed, quality.
    'gru-f16-model': { type: 'string', default: '' },
    // The rerank row needs catalogue attributes; a bundle without them is swapped for this one.
    'catalog-model': { type: 'string', default: 'build/demo/models/itemknn.swm' },
    // The cold start without a model to speak of (a popularity bundle of the sample shop).
    'baseline-model': { type: 'string', default: 'build/demo/models/pop.swm' },
    // Segment and propensity rows need a bundle trained with --segments/--propensity.
    'behaviour-model': { type: 'string', default: 'build/demo/models/itemknn.swm' },
    'behaviour-events': { type: 'string', default: '500' },
    // The edge bundle is sized with a model of a 10,000-item catalogue (bench.sh trains it).
    'edge-model-10k': { type: 'string', default: 'build/bench/edge-10k/itemknn.swm' },
    // The 100,000-item matrix-factorisation bundles (scripts/mf_bundles.sh); '' skips their rows.
    'mf-bundles': { type: 'string', default: '' },
    // The 100,000-item GRU bundle of the request row against TF.js and ORT Web; '' skips the row.
    'gru-100k': { type: 'string', default: '' },
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

// Runs the ES module `script` in `runs` fresh Node processes and returns what each printed, as
// JSON. From a file, as an application starts: `node --input-type=module -e` adds 7-9 ms to the
// import (the eval entry sets up Node's module loader on the first import) and slows the load.
function inFreshProcesses(script, runs = 1) {
  const probe = join(root, 'build/bench/probe.mjs');
  writeFileSync(probe, script);
  return Array.from({ length: runs }, () => {
    const result = spawnSync(process.execPath, [probe], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    return JSON.parse(result.stdout);
  });
}

// Each sample is a fresh Node process: import the SDK, create a Personalizer from the bundle file
// (Node reads it straight into wasm memory), first recommendation. The same with the smallest
// sample bundle gives what the SDK itself costs; the difference is the model's own read and
// validation (the bundle is checked in place, never parsed into copies).
function coldStart(model, runs) {
  const script = `
    const t0 = performance.now();
    const { Personalizer } = await import('shelfwise');
    const t1 = performance.now();
    const p = await Personalizer.create({ bundle: ${JSON.stringify(model)} });
    const t2 = performance.now();
    p.recommend({ k: 20 });
    const t3 = performance.now();
    console.log(JSON.stringify({ total: t3 - t0, import: t1 - t0, load: t2 - t1 }));`;
  const samples = inFreshProcesses(script, runs);
  for (const sample of samples) sample.afterImport = sample.total - sample.import;
  const median = (key) => samples.map((sample) => sample[key]).sort((a, b) => a - b)[samples.length >> 1];
  return { total: median('total'), import: median('import'), load: median('load'), afterImport: median('afterImport') };
}

// The wasm heap (memory.buffer size, what the page pays) in a fresh process after loading the
// bundle, a five-event visit, one recommendation and one rerank of 200 with diversity (which
// builds the ranker's per-item scratch). Issue 7's target: the bundle's size plus 4 MB.
function heapAfterUse(model) {
  const script = `
    const { Personalizer } = await import('shelfwise');
    const p = await Personalizer.create({ bundle: ${JSON.stringify(model)} });
    const popular = p.popular({ k: 200 }).map((r) => r.itemId);
    for (const itemId of popular.slice(0, 5)) p.track({ itemId });
    p.recommend({ k: 20 });
    p.rerank(popular, { k: 40, rules: { diversity: { lambda: 0.7 } } });
    console.log(JSON.stringify(p.memoryStats()));`;
  return inFreshProcesses(script)[0].wasmHeapBytes;
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
  // The same page, rules and visits for the edge worker: each visit's first ten item ids.
  const sessions = log.sessions.slice(0, 200).map((session) => session.events.slice(0, 10).map((event) => event.itemId));
  ranker.close();
  const sorted = times.sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), n: sorted.length, model, candidates, rules, sessions };
}

// segment() and propensity() for a shopper whose profile holds `eventCount` events (the log's,
// in order, spread over weeks): features from every event, then the centroids or the models.
async function behaviourLatency(modelPath, log, eventCount, requests) {
  const personalizer = await Personalizer.create({ bundle: readFileSync(modelPath), device: 'mobile', retention: { maxEvents: 10000 } });
  const now = Date.now() / 1000;
  const events = log.sessions.flatMap((session) => session.events).slice(0, eventCount);
  events.forEach((event, index) => personalizer.track({ type: event.type, itemId: event.itemId, time: now - (events.length - index) * 600 }));
  const measure = (call) => {
    for (let warm = 0; warm < 200; warm += 1) call();
    const times = [];
    for (let request = 0; request < requests; request += 1) {
      const start = performance.now();
      call();
      times.push(performance.now() - start);
    }
    return quantile(times.sort((a, b) => a - b), 0.5);
  };
  const segment = measure(() => personalizer.segment());
  const propensity = measure(() => personalizer.propensity());
  const { version, manifest } = personalizer.modelInfo();
  personalizer.close();
  return { segment, propensity, events: events.length, model: version, segments: manifest.segments?.k ?? 0 };
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
const log = parseInteractionLog(readFileSync(values.events, 'utf8'), values.events);

// Cold starts on a shared 2-core VM vary by a third from one process to the next: the median of
// 15 fresh processes (a third of a second each) moves far less than that of 7 did.
const COLD_RUNS = 15;
// The SDK's own share of a cold start: the same steps with the smallest sample bundle.
const coldBaseline = coldStart(resolve(root, values['baseline-model']), COLD_RUNS);

async function benchModel(model) {
  const modelSize = sizes([model]);
  const cold = coldStart(model, COLD_RUNS);
  const heap = heapAfterUse(model);
  const personalizer = await Personalizer.create({ bundle: readFileSync(model) });
  const info = personalizer.modelInfo();
  const timing = latency(personalizer, log, Number(values.requests));
  // The same prediction loop in wasm and native, for the wasm/native ratio.
  const wasmEval = evaluateNextItem(personalizer, log, 20);
  personalizer.close();
  const nativeEval = JSON.parse(execFileSync(join(root, 'build/bin/shelfwise'),
    ['eval', '--model', model, '--events', values.events, '--k', '20', '--json'], { encoding: 'utf8' }));
  return {
    dataset: values.dataset,
    model_kind: info.kind,
    model_version: info.version,
    items: info.itemCount,
    model_bytes: modelSize.raw,
    model_gzip_bytes: modelSize.gzip,
    wasm_glue_bytes: core.raw,
    wasm_glue_gzip_bytes: core.gzip,
    sdk_js_bytes: sdk.raw,
    sdk_js_gzip_bytes: sdk.gzip,
    cold_start_ms: cold.total,
    cold_start_import_ms: cold.import,
    // Issue 3's span: instantiate the .wasm and load the model, to the first recommendation.
    cold_start_after_import_ms: cold.afterImport,
    model_load_ms: cold.load,
    cold_start_without_model_ms: coldBaseline.total,
    model_parse_ms: cold.total - coldBaseline.total,
    heap_bytes: heap,
    heap_over_model_bytes: heap - modelSize.raw,
    recommend_p50_ms: timing.recommend.p50,
    recommend_p95_ms: timing.recommend.p95,
    recommend_n: timing.recommend.n,
    related_p50_ms: timing.related.p50,
    related_p95_ms: timing.related.p95,
    related_n: timing.related.n,
    track_p50_ms: timing.track.p50,
    eval_ms_per_prediction_wasm: wasmEval.msPerPrediction,
    eval_ms_per_prediction_native: nativeEval.ms_per_prediction,
    wasm_over_native: wasmEval.msPerPrediction / nativeEval.ms_per_prediction,
    recall_at_20: nativeEval['recall@20'],
    mrr_at_20: nativeEval['mrr@20'],
  };
}

const results = [];
for (const model of values.model ?? []) results.push(await benchModel(model));
const result = results[0];

// The ranker, once: on the first model with a catalogue (the real-data bundles have none; then
// the demo model).
const probe = await Personalizer.create({ bundle: readFileSync(values.model[0]) });
const rerankModel = probe.modelInfo().hasCatalog ? values.model[0] : resolve(root, values['catalog-model']);
probe.close();
const rerank = await rerankLatency(rerankModel, log, Math.min(5000, Number(values.requests)));
Object.assign(result, { rerank200_p50_ms: rerank.p50, rerank200_p95_ms: rerank.p95, rerank200_model_version: rerank.model });
const edge = await edgeRerankLatency({ model: rerankModel, candidates: rerank.candidates, rules: rerank.rules, sessions: rerank.sessions });
const edgeIsolate = await edgeRerankInIsolate({ model: rerankModel, candidates: rerank.candidates, rules: rerank.rules, sessions: rerank.sessions });
const edgeBundle = edgeBundleSize(resolve(root, values['edge-model-10k']));
// CPU time of the workerd process where /proc tells it, else the round trips alone.
const edgeCpu = edge.cpu ?? edge.wall;
Object.assign(result, {
  rerank200_p50_ms_workerd: edgeCpu.p50,
  rerank200_p95_ms_workerd: edgeCpu.p95,
  rerank200_measure_workerd: edge.cpu ? 'cpu' : 'wall',
  rerank200_wall_p50_ms_workerd: edge.wall.p50,
  rerank200_isolate_p50_ms_workerd: edgeIsolate?.p50 ?? null,
  rerank200_isolate_p95_ms_workerd: edgeIsolate?.p95 ?? null,
  workerd_request_p50_ms: edge.wall.healthP50,
  workerd_request_cpu_p50_ms: edge.cpu?.healthP50 ?? null,
  edge_bundle_10k_bytes: edgeBundle.raw,
  edge_bundle_10k_gzip_bytes: edgeBundle.gzip,
});
const behaviour = await behaviourLatency(resolve(root, values['behaviour-model']), log, Number(values['behaviour-events']),
  Math.min(5000, Number(values.requests)));
Object.assign(result, {
  segment_p50_ms: behaviour.segment,
  propensity_p50_ms: behaviour.propensity,
  behaviour_profile_events: behaviour.events,
  behaviour_model_version: behaviour.model,
});
const mf = await benchMatrixFactorisation(root, values['mf-bundles'] ? resolve(root, values['mf-bundles']) : null);
Object.assign(result, mf.result);
// The figures both GRU columns report, under `prefix` (gru_ / gru_f16_).
function gruFigures(prefix, row, path) {
  return {
    [`${prefix}model_bytes`]: row.bytes,
    [`${prefix}model_gzip_bytes`]: row.gzipBytes,
    [`${prefix}event_p50_ms_wasm`]: row.p50,
    [`${prefix}recall_at_20`]: row.recall,
    [`${prefix}mrr_at_20`]: row.mrr,
    [`${prefix}heap_over_model_bytes`]: heapAfterUse(path) - row.bytes,
    [`${prefix}cold_start_ms`]: coldStart(path, 5).total,
  };
}
const gru = values['gru-model'] ? await gruRow(values['gru-model'], log, Math.min(5000, Number(values.requests))) : null;
if (gru) {
  Object.assign(result, gruFigures('gru_', gru, values['gru-model']), {
    gru_model_version: gru.model,
    gru_hidden_size: gru.hiddenSize,
    gru_event_p95_ms_wasm: gru.p95,
    gru_event_p50_ms_native: gru.nativeP50,
    gru_wasm_over_native_p50: gru.p50 / gru.nativeP50,
    gru_training_events_per_second: gru.trainingEventsPerSecond,
  });
}
const gruF16 = values['gru-f16-model'] ? await gruRow(values['gru-f16-model'], log, Math.min(5000, Number(values.requests))) : null;
if (gruF16) Object.assign(result, gruFigures('gru_f16_', gruF16, values['gru-f16-model']));

// The 100,000-item request: ours vs TF.js (GRU request) and ORT Web (scoring alone), Node and Chromium.
const code = await codeGzipBytes(root);
Object.assign(result, {
  code_gzip_bytes: code.gzipBytes,
  heap_growth_100_swaps_bytes: await heapGrowthSwaps(values['gru-model'] || values.model[0]),
});
let request100k = null;
if (values['gru-100k']) {
  const node = await benchRequestNode(root, resolve(root, values['gru-100k']));
  const chromium = await benchRequestChromium(root, resolve(root, values['gru-100k']));
  request100k = { node, chromium };
  const mismatches = [...node.mismatches, ...chromium.mismatches.map((message) => `chromium: ${message}`)];
  for (const message of mismatches) console.error(`FAIL: ${message}`);
  Object.assign(result, {
    request_p50_ms_100k: node.ours,
    request_p50_ms_100k_chromium: chromium.ours,
    ort_scoring_p50_ms_100k: node.ort,
    ort_scoring_p50_ms_100k_chromium: chromium.ort,
    tfjs_request_p50_ms_100k: node.tfjs,
    tfjs_request_p50_ms_100k_chromium: chromium.tfjs,
    request_p50_ms_100k_native: node.native,
    request_p50_ms_100k_wasm_tool: node.wasm,
    wasm_over_native: node.wasm / node.native,
    peers_top20_agree: mismatches.length === 0,
    heap_over_model_bytes_100k: heapAfterUse(resolve(root, values['gru-100k'])) - statSync(resolve(root, values['gru-100k'])).size,
    cold_start_ms_100k: coldStart(resolve(root, values['gru-100k']), 5).total,
  });
  if (mismatches.length) process.exitCode = 1;
}

if (values.json) {
  // The first model's figures at the top level (the single-model format), every model under "models".
  console.log(JSON.stringify(results.length > 1 ? { ...result, models: results } : result));
} else {
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const ms = (value) => `${value.toFixed(3)} ms`;
  const only = (value) => (r) => (r === result ? value : '');
  const rows = [
    ['dataset', () => result.dataset],
    ['model', (r) => `${r.model_version} (${r.items} items)`],
    ['model bundle, raw / gzip -9', (r) => `${kb(r.model_bytes)} / ${kb(r.model_gzip_bytes)}`],
    ['.wasm + glue, raw / gzip -9', (r) => `${kb(r.wasm_glue_bytes)} / ${kb(r.wasm_glue_gzip_bytes)}`],
    ['SDK JS (unminified), raw / gzip -9', (r) => `${kb(r.sdk_js_bytes)} / ${kb(r.sdk_js_gzip_bytes)}`],
    ['cold start: import to first recommendation (bundle read from a file)', (r) => ms(r.cold_start_ms)],
    ['  of which import of the SDK', (r) => ms(r.cold_start_import_ms)],
    ['  from after the import: instantiate, load, first recommendation', (r) => ms(r.cold_start_after_import_ms)],
    ['  of which create() (instantiate the .wasm, read + validate the bundle)', (r) => ms(r.model_load_ms)],
    ['  the same with the sample popularity bundle (the SDK\'s own share)', (r) => ms(r.cold_start_without_model_ms)],
    ['  so the model\'s own read + in-place validation', (r) => ms(r.model_parse_ms)],
    ['wasm heap after load, a visit, recommend and a rerank (fresh process); over the bundle',
      (r) => `${kb(r.heap_bytes)}; +${kb(r.heap_over_model_bytes)}`],
    [`recommend k=20, p50 / p95 (n=${result.recommend_n})`, (r) => `${ms(r.recommend_p50_ms)} / ${ms(r.recommend_p95_ms)}`],
    [`related k=20, p50 / p95 (n=${result.related_n})`, (r) => `${ms(r.related_p50_ms)} / ${ms(r.related_p95_ms)}`],
    ['track, p50', (r) => ms(r.track_p50_ms)],
    [`rerank 200 candidates with all rules, k=40, p50 / p95 (n=${rerank.n}${rerankModel === values.model[0] ? '' : `, ${rerank.model}`})`,
      (r) => (r === result ? `${ms(rerank.p50)} / ${ms(rerank.p95)}` : '')],
    [`rerank 200 in workerd, ${edge.cpu ? 'CPU' : 'round trip'} p50 / p95 (n=${edge.n}; request minus GET /health at ${ms(edgeCpu.healthP50)})`,
      (r) => (r === result ? `${ms(edgeCpu.p50)} / ${ms(edgeCpu.p95)}` : '')],
    ['rerank 200 in workerd, round trip p50 (request minus GET /health)', (r) => (r === result ? ms(edge.wall.p50) : '')],
    [`rerank 200 in workerd, one call inside the isolate (CPU, no HTTP), p50 / p95 (n=${edgeIsolate?.n ?? 0})`,
      (r) => (r === result ? (edgeIsolate ? `${ms(edgeIsolate.p50)} / ${ms(edgeIsolate.p95)}` : 'no /proc') : '')],
    ['edge bundle (worker + SDK + wasm + 10,000-item model), raw / gzip -9',
      (r) => (r === result ? `${kb(edgeBundle.raw)} / ${kb(edgeBundle.gzip)}` : '')],
    [`segment() for a ${behaviour.events}-event profile, k=${behaviour.segments}, p50 (${behaviour.model})`,
      (r) => (r === result ? ms(behaviour.segment) : '')],
    ['propensity() for the same profile, p50', (r) => (r === result ? ms(behaviour.propensity) : '')],
    ['eval loop per prediction, wasm / native', (r) => `${ms(r.eval_ms_per_prediction_wasm)} / ${ms(r.eval_ms_per_prediction_native)} (x${r.wasm_over_native.toFixed(2)})`],
    ['quality: recall@20 / mrr@20', (r) => `${r.recall_at_20.toFixed(4)} / ${r.mrr_at_20.toFixed(4)}`],
    ...mf.rows.map(([name, value]) => [name, (r) => (r === result ? value : '')]),
  ];
  if (gru) {
    rows.push(
      [`gru model (d=${result.gru_hidden_size}), bundle raw / gzip -9`, only(`${gru.model}: ${kb(result.gru_model_bytes)} / ${kb(result.gru_model_gzip_bytes)}`)],
      [`gru per event: update + score all items + top-20, p50 wasm / native (n=${gru.n})`,
        only(`${ms(result.gru_event_p50_ms_wasm)} / ${ms(result.gru_event_p50_ms_native)} (x${result.gru_wasm_over_native_p50.toFixed(2)}), p95 wasm ${ms(result.gru_event_p95_ms_wasm)}`)],
      ['gru quality: recall@20 / mrr@20', only(`${result.gru_recall_at_20.toFixed(4)} / ${result.gru_mrr_at_20.toFixed(4)}`)],
      ['gru training events/s (as trained)', only(result.gru_training_events_per_second === null ? 'n/a' : result.gru_training_events_per_second.toFixed(0))],
      ['gru wasm heap over its bundle (fresh process)', only(`+${kb(result.gru_heap_over_model_bytes)}`)],
      ['gru cold start: import to first recommendation (bundle read from a file)', only(ms(result.gru_cold_start_ms))],
    );
  }
  if (gruF16) {
    rows.push(
      ['gru, f16 embeddings: bundle raw / gzip -9', only(`${kb(result.gru_f16_model_bytes)} / ${kb(result.gru_f16_model_gzip_bytes)}`)],
      ['  per event p50 wasm; recall@20 / mrr@20', only(`${ms(result.gru_f16_event_p50_ms_wasm)}; ${result.gru_f16_recall_at_20.toFixed(4)} / ${result.gru_f16_mrr_at_20.toFixed(4)}`)],
      ['  cold start; wasm heap over its bundle', only(`${ms(result.gru_f16_cold_start_ms)}; +${kb(result.gru_f16_heap_over_model_bytes)}`)],
    );
  }
  rows.push([`code: SDK + glue + deps minified (esbuild) + .wasm, gzip -9`, only(kb(result.code_gzip_bytes))],
    ['wasm heap growth over 100 model swaps', only(`${result.heap_growth_100_swaps_bytes} bytes`)]);
  if (request100k) {
    const { node, chromium } = request100k;
    const versus = (ours, theirs) => `${ms(ours)} vs ${ms(theirs)}: x${(theirs / ours).toFixed(2)} faster`;
    rows.push(
      ['100k items, d=64: our request (track 1 event + recommend k=20), p50 Node / Chromium', only(`${ms(node.ours)} / ${ms(chromium.ours)}`)],
      ['  vs ORT Web f32 scoring alone (MatMul+Add+TopK 20), Node', only(versus(node.ours, node.ort))],
      ['  vs ORT Web f32 scoring alone, Chromium', only(versus(chromium.ours, chromium.ort))],
      ['  vs TF.js wasm GRU request (step + scores + topk 20), Node', only(versus(node.ours, node.tfjs))],
      ['  vs TF.js wasm GRU request, Chromium', only(versus(chromium.ours, chromium.tfjs))],
      ['  same request in C++, wasm (node) / native', only(`${ms(node.wasm)} / ${ms(node.native)} (x${(node.wasm / node.native).toFixed(2)})`)],
      ['  peers\' top-20 agree with ours (same weights)', only(result.peers_top20_agree ? 'yes' : 'NO (see FAIL lines)')],
      ['  wasm heap over the 100k GRU bundle (fresh process)', only(`+${kb(result.heap_over_model_bytes_100k)}`)],
      ['  cold start with the 100k GRU bundle (import to first recommendation)', only(ms(result.cold_start_ms_100k))],
    );
  }
  const table = rows.map(([name, cell]) => [name, ...results.map((r) => cell(r))]);
  const header = ['what', ...results.map((r) => r.model_kind)];
  const widths = header.map((_, column) => Math.max(header[column].length, ...table.map((row) => row[column].length)));
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
}
