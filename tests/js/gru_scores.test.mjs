// The wasm SDK reproduces the native core's GRU scores (alone and as a blend's part) on real sessions: `shelfwise eval
// --predictions` writes every prefix's top-20 ids and scores natively, and the SDK, fed the same
// clicks one track() at a time (so its per-session hidden state advances event by event), must
// return the same ids with scores within 1e-4.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Personalizer } from 'shelfwise';
import { parseInteractionLog } from '../../js/eval/interaction_csv.js';
import { cli, readBundle, realDataFile, shopFixtures } from './fixtures.mjs';

// The first `count` sessions of a CSV file (kept in the test's temporary folder only).
function firstSessions(path, count, out) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const kept = [lines[0]];
  const seen = new Set();
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const session = line.slice(0, line.indexOf(','));
    if (!seen.has(session) && seen.size === count) break;
    seen.add(session);
    kept.push(line);
  }
  writeFileSync(out, `${kept.join('\n')}\n`);
  return out;
}

async function assertSdkMatchesNative(model, events, kind = 'gru') {
  const predictionsPath = `${events}.predictions.jsonl`;
  execFileSync(cli, ['eval', '--model', model, '--events', events, '--k', '20', '--predictions', predictionsPath], { stdio: 'ignore' });
  const native = readFileSync(predictionsPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const log = parseInteractionLog(readFileSync(events, 'utf8'), events);
  const personalizer = await Personalizer.create({ bundle: readBundle(model) });
  assert.equal(personalizer.modelInfo().kind, kind);
  let index = 0;
  let largest = 0;
  for (const session of log.sessions) {
    personalizer.clearSession();
    for (let position = 0; position + 1 < session.events.length; position += 1) {
      const event = session.events[position];
      personalizer.track({ type: event.type, itemId: event.itemId, time: event.time ?? 0 });
      const results = personalizer.recommend({ k: 20 });
      const expected = native[index];
      index += 1;
      assert.equal(expected.session, session.id);
      assert.deepEqual(results.map((result) => result.itemId), expected.items, `session ${session.id} prefix ${position}`);
      results.forEach((result, rank) => {
        largest = Math.max(largest, Math.abs(result.score - expected.scores[rank]));
      });
    }
  }
  personalizer.close();
  assert.equal(index, native.length);
  assert.ok(index > 100, `${index} predictions`);
  assert.ok(largest <= 1e-4, `largest score difference ${largest}`);
}

test('the SDK reproduces native GRU scores on the synthetic shop', async () => {
  const { dir, shop } = shopFixtures();
  const model = join(dir, 'gru-scores.swm');
  execFileSync(cli, ['train', '--algo', 'gru', '--events', shop.train, '--out', model, '--hidden-size', '24', '--epochs', '1',
    '--negatives', '64', '--batch-size', '32', '--threads', '1'], { stdio: 'ignore' });
  await assertSdkMatchesNative(model, firstSessions(shop.test, 150, join(dir, 'gru-shop-test.csv')));
});

test('the SDK reproduces native scores of a GRU with f16 embeddings (shelfwise quantize --dtype f16)', async () => {
  const { dir, shop } = shopFixtures();
  const model = join(dir, 'gru-scores-f32.swm');
  const half = join(dir, 'gru-scores-f16.swm');
  execFileSync(cli, ['train', '--algo', 'gru', '--events', shop.train, '--out', model, '--hidden-size', '24', '--epochs', '1',
    '--negatives', '64', '--batch-size', '32', '--threads', '1'], { stdio: 'ignore' });
  execFileSync(cli, ['quantize', '--in', model, '--out', half, '--dtype', 'f16'], { stdio: 'ignore' });
  assert.ok(readFileSync(half).length < readFileSync(model).length);
  await assertSdkMatchesNative(half, firstSessions(shop.test, 150, join(dir, 'gru-f16-shop-test.csv')));
});

test('the SDK reproduces native scores of a blend with a GRU part on the synthetic shop', async () => {
  const { dir, shop } = shopFixtures();
  const gru = join(dir, 'blend-part-gru.swm');
  const sknn = join(dir, 'blend-part-sknn.swm');
  const blend = join(dir, 'blend-gru.swm');
  execFileSync(cli, ['train', '--algo', 'gru', '--events', shop.train, '--out', gru, '--hidden-size', '24', '--epochs', '1',
    '--negatives', '64', '--batch-size', '32', '--threads', '1'], { stdio: 'ignore' });
  execFileSync(cli, ['train', '--algo', 'sknn', '--events', shop.train, '--out', sknn], { stdio: 'ignore' });
  execFileSync(cli, ['train', '--algo', 'blend', '--models', `${gru},${sknn}`, '--sknn-weight', '0.6', '--out', blend],
    { stdio: 'ignore' });
  await assertSdkMatchesNative(blend, firstSessions(shop.test, 150, join(dir, 'blend-gru-shop-test.csv')), 'blend');
});

test('the SDK reproduces native GRU scores on real diginetica sessions', async (t) => {
  const train = realDataFile('diginetica/train_tr.csv');
  const valid = realDataFile('diginetica/valid.csv');
  if (!train || !valid) {
    t.skip('NOTICE: ../shared/data/diginetica is absent; real-data GRU scores not checked');
    return;
  }
  const { dir } = shopFixtures();
  // A small model on the first 20,000 training sessions: the check is about arithmetic, not quality.
  const trainSlice = firstSessions(train, 20000, join(dir, 'diginetica-train-slice.csv'));
  const model = join(dir, 'diginetica-gru.swm');
  execFileSync(cli, ['train', '--algo', 'gru', '--events', trainSlice, '--out', model, '--hidden-size', '32', '--epochs', '1',
    '--negatives', '128', '--threads', '1'], { stdio: 'ignore' });
  await assertSdkMatchesNative(model, firstSessions(valid, 300, join(dir, 'diginetica-valid-300.csv')));
});
