// `npm run eval` (wasm + SDK) must print exactly the metrics of `shelfwise eval` (native core).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { blendFixture, cli, realDataFile, repoRoot, run, shopFixtures, sknnFixture } from './fixtures.mjs';

function nativeEval(model, events) {
  return JSON.parse(run(['eval', '--model', model, '--events', events, '--k', '20', '--json']));
}

function wasmEval(model, events) {
  const output = execFileSync(process.execPath, [join(repoRoot, 'scripts/eval.mjs'), '--model', model, '--events', events, '--k', '20', '--json'],
    { encoding: 'utf8', cwd: repoRoot });
  return JSON.parse(output);
}

function assertSameMetrics(native, wasm) {
  for (const key of ['recall@20', 'mrr@20', 'coverage@20', 'n', 'sessions', 'k', 'model']) {
    assert.equal(wasm[key], native[key], `${key}: wasm ${wasm[key]} vs native ${native[key]}`);
  }
  assert.ok(native.ms_per_prediction > 0 && wasm.ms_per_prediction > 0);
}

test('native and wasm evaluation agree on the synthetic shop', () => {
  const { itemknn, pop, shop } = shopFixtures();
  const sknn = sknnFixture();
  for (const model of [itemknn, pop, sknn]) assertSameMetrics(nativeEval(model, shop.test), wasmEval(model, shop.test));
  const knn = nativeEval(itemknn, shop.test);
  const popularity = nativeEval(pop, shop.test);
  const sessionKnn = nativeEval(sknn, shop.test);
  assert.ok(knn['recall@20'] > 2 * popularity['recall@20'], 'item-kNN beats popularity by far on learnable data');
  assert.ok(sessionKnn['recall@20'] > 2 * popularity['recall@20'], `session-kNN ${sessionKnn['recall@20']} beats popularity by far`);
});

test('a blend evaluates identically in wasm, and on the split it was tuned on beats both its parts', () => {
  const { itemknn, shop } = shopFixtures();
  const sknn = sknnFixture();
  const blend = blendFixture();
  assertSameMetrics(nativeEval(blend, shop.test), wasmEval(blend, shop.test));
  const objective = (metrics) => metrics['recall@20'] + metrics['mrr@20'];
  const blended = objective(nativeEval(blend, shop.valid));
  for (const part of [itemknn, sknn]) {
    const single = objective(nativeEval(part, shop.valid));
    assert.ok(blended >= single, `blend ${blended} vs part ${single}`);
  }
});

test('native and wasm evaluation agree on a small GRU trained in the test', () => {
  const { dir, shop } = shopFixtures();
  const model = join(dir, 'gru-parity.swm');
  run(['train', '--algo', 'gru', '--events', shop.train, '--catalog', shop.catalog, '--out', model, '--model-version', 'gru-test-1',
    '--hidden-size', '16', '--epochs', '2', '--negatives', '64', '--batch-size', '32', '--threads', '1']);
  const native = nativeEval(model, shop.test);
  assertSameMetrics(native, wasmEval(model, shop.test));
  const popularity = nativeEval(shopFixtures().pop, shop.test);
  assert.ok(native['recall@20'] > 2 * popularity['recall@20'], `gru recall@20 ${native['recall@20']}`);
});

test('native and wasm evaluation agree on a slice of diginetica', (t) => {
  const train = realDataFile('diginetica/train_tr.csv');
  const valid = realDataFile('diginetica/valid.csv');
  if (!train || !valid) {
    t.skip('NOTICE: ../shared/data/diginetica is absent; real-data parity not checked');
    return;
  }
  const { dir } = shopFixtures();
  const model = join(dir, 'diginetica.swm');
  execFileSync(cli, ['train', '--algo', 'itemknn', '--events', train, '--out', model], { stdio: 'ignore' });
  // The first 3,000 validation sessions, written to the test's temporary folder only.
  const lines = readFileSync(valid, 'utf8').split('\n');
  const slice = [lines[0]];
  const seen = new Set();
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const session = line.slice(0, line.indexOf(','));
    if (!seen.has(session) && seen.size === 3000) break;
    seen.add(session);
    slice.push(line);
  }
  const events = join(dir, 'diginetica-valid-slice.csv');
  writeFileSync(events, `${slice.join('\n')}\n`);
  const native = nativeEval(model, events);
  assertSameMetrics(native, wasmEval(model, events));
  assert.ok(native.n > 10000);
  assert.ok(native['recall@20'] > 0.3, `recall@20 ${native['recall@20']}`);

  const sessionModel = join(dir, 'diginetica-sknn.swm');
  execFileSync(cli, ['train', '--algo', 'sknn', '--events', train, '--out', sessionModel], { stdio: 'ignore' });
  const sessionNative = nativeEval(sessionModel, events);
  assertSameMetrics(sessionNative, wasmEval(sessionModel, events));
  assert.ok(sessionNative['recall@20'] > 0.45, `sknn recall@20 ${sessionNative['recall@20']}`);
});
