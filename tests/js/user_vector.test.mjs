// The long-term user vector on the device, through the real .wasm: the SIMD scoring kernels agree
// with the scalar reference, the SDK folds the stored profile plus the visit into the ranker's
// user source (history excluded, explained by a history item), keeps it across a model swap and
// forgets it on clearSession/erase; `npm run eval -- --protocol next-for-user` prints exactly the
// native figures.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { MemoryStorage, Personalizer } from 'shelfwise';
import { readBundle, realDataFile, repoRoot, run, shopFixtures } from './fixtures.mjs';

const USER_ONLY = { weights: { session: 0, context: 0, popular: 0, page: 0, user: 1 } };
let planted;
let mfBundle;

// 400 users, each viewing (90% of the time) items of one of 10 groups of 30: tastes to learn.
function writePlanted(dir) {
  let state = 7;
  const next = (bound) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % bound;
  };
  let train = 'session_id,user_id,item_id,timestamp,event\n';
  let valid = train;
  for (let user = 0; user < 400; user += 1) {
    const group = user % 10;
    for (let event = 0; event <= 10; event += 1) {
      const noise = event < 10 && next(10) === 0;
      const item = noise ? next(300) : group * 30 + next(30);
      const row = `s${user},u${user},i${item},${1000 + event},view\n`;
      if (event < 10) train += row; else valid += row;
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train.csv'), train);
  writeFileSync(join(dir, 'valid.csv'), valid);
  return { train: join(dir, 'train.csv'), valid: join(dir, 'valid.csv') };
}

before(() => {
  const { dir } = shopFixtures();
  planted = writePlanted(join(dir, 'planted'));
  mfBundle = join(dir, 'mf.swm');
  run(['train', '--algo', 'mf', '--events', planted.train, '--factors', '16', '--iterations', '6', '--threads', '2',
    '--out', mfBundle, '--model-version', 'mf-test-1']);
});

test('wasm SIMD scoring kernels match the scalar reference bit for bit and stay within bounds', () => {
  const output = execFileSync(process.execPath, [join(repoRoot, 'build/emscripten/node-tools/shelfwise_kernels_check.js')],
    { encoding: 'utf8' });
  const report = JSON.parse(output);
  assert.equal(report.simd, true, 'the check must run the wasm SIMD kernels');
  assert.ok(report.scores > 20000);
  assert.equal(report.mismatched_bits, 0);
  assert.equal(report.outside_bound, 0);
});

test('the user source ranks by the folded-in history, never returns it, and explains itself', async () => {
  const personalizer = await Personalizer.create({ bundle: readBundle(mfBundle) });
  assert.equal(personalizer.modelInfo().kind, 'mf');
  assert.equal(personalizer.modelInfo().manifest.mf.dtype, 'f32');
  const history = ['i30', 'i31', 'i35', 'i40', 'i44']; // group 1: items i30..i59
  for (const itemId of history) personalizer.track({ itemId });
  const results = personalizer.recommend({ slot: 'home', k: 10, rules: USER_ONLY });
  assert.equal(results.length, 10);
  for (const result of results) {
    assert.equal(result.source, 'user');
    assert.ok(!history.includes(result.itemId), `${result.itemId} is in the history`);
    assert.ok(history.includes(result.because), `because ${result.because}`);
  }
  const inGroup = results.filter((result) => Number(result.itemId.slice(1)) >= 30 && Number(result.itemId.slice(1)) < 60);
  assert.ok(inGroup.length >= 8, `only ${inGroup.length} of 10 from the shopper's group`);
  // The home recipe blends it with popularity; the user source still names most results.
  assert.ok(personalizer.recommend({ slot: 'home', k: 10 }).filter((result) => result.source === 'user').length >= 5);

  // A quantised model keeps the history (it is replayed into the new model).
  const int8 = join(shopFixtures().dir, 'mf-int8.swm');
  run(['quantize', '--in', mfBundle, '--out', int8, '--dtype', 'int8']);
  await personalizer.loadBundle(readBundle(int8));
  assert.equal(personalizer.modelInfo().manifest.mf.dtype, 'int8');
  const afterSwap = personalizer.recommend({ slot: 'home', k: 10, rules: USER_ONLY });
  assert.ok(afterSwap.every((result) => result.source === 'user'));
  const overlap = afterSwap.filter((result) => results.some((before) => before.itemId === result.itemId)).length;
  assert.ok(overlap >= 8, `int8 kept ${overlap} of the f32 top 10`);

  personalizer.clearSession();
  assert.ok(personalizer.recommend({ slot: 'home', k: 10 }).every((result) => result.source !== 'user'));
  personalizer.close();
});

test("the stored profile joins the visit in the fold-in; consent 'none' and erase leave no user vector", async () => {
  const storage = new MemoryStorage();
  const profileName = `mf-${process.pid}`;
  const first = await Personalizer.create({ bundle: readBundle(mfBundle), storage, consent: 'full', profileName });
  for (const itemId of ['i90', 'i91', 'i99', 'i100', 'i110']) first.track({ itemId });
  const expected = first.recommend({ slot: 'home', k: 8, rules: USER_ONLY });
  first.close();
  await new Promise((resolve) => setTimeout(resolve, 30));

  // A later visit: the stored events (recent: retention drops events older than 90 days) come back
  // and fold in before anything is tracked.
  const later = await Personalizer.create({ bundle: readBundle(mfBundle), storage, consent: 'full', profileName });
  assert.deepEqual(later.recommend({ slot: 'home', k: 8, rules: USER_ONLY }), expected);
  later.track({ itemId: 'i95' });
  const grown = later.recommend({ slot: 'home', k: 8, rules: USER_ONLY });
  assert.ok(!grown.some((result) => result.itemId === 'i95'));
  await later.erase();
  assert.ok(later.recommend({ slot: 'home', k: 8 }).every((result) => result.source !== 'user'));
  later.close();

  const none = await Personalizer.create({ bundle: readBundle(mfBundle), consent: 'none' });
  none.track({ itemId: 'i90' });
  assert.ok(none.recommend({ slot: 'home', k: 8 }).every((result) => result.source !== 'user'));
  none.close();
});

test('a bounded history folds out its oldest events', async () => {
  const bounded = await Personalizer.create({ bundle: readBundle(mfBundle), maxHistoryEvents: 3 });
  const fresh = await Personalizer.create({ bundle: readBundle(mfBundle) });
  for (const itemId of ['i200', 'i201', 'i0', 'i1', 'i2']) bounded.track({ itemId });
  for (const itemId of ['i0', 'i1', 'i2']) fresh.track({ itemId });
  const left = bounded.recommend({ slot: 'home', k: 10, rules: USER_ONLY }).map((result) => result.itemId);
  const right = fresh.recommend({ slot: 'home', k: 10, rules: USER_ONLY }).map((result) => result.itemId);
  assert.deepEqual(left, right);
  await assert.rejects(Personalizer.create({ bundle: readBundle(mfBundle), maxHistoryEvents: 0 }), { code: 'INVALID_ARGUMENT' });
  bounded.close();
  fresh.close();
});

function nextForUser(command, model, history, events) {
  const args = ['--protocol', 'next-for-user', '--model', model, '--history', history, '--events', events, '--k', '10', '--json'];
  const output = command === 'native' ? run(['eval', ...args])
    : execFileSync(process.execPath, [join(repoRoot, 'scripts/eval.mjs'), ...args], { encoding: 'utf8', cwd: repoRoot });
  return JSON.parse(output);
}

function assertParity(model, history, events) {
  const native = nextForUser('native', model, history, events);
  const wasm = nextForUser('wasm', model, history, events);
  for (const key of ['hr@10', 'ndcg@10', 'n', 'k', 'model', 'users_without_history', 'dtype']) {
    assert.equal(wasm[key], native[key], `${key}: wasm ${wasm[key]} vs native ${native[key]}`);
  }
  return native;
}

test('next-for-user evaluation: npm run eval (wasm) prints the native figures', () => {
  const pop = join(shopFixtures().dir, 'planted-pop.swm');
  run(['train', '--algo', 'pop', '--events', planted.train, '--out', pop]);
  const mf = assertParity(mfBundle, planted.train, planted.valid);
  const popularity = assertParity(pop, planted.train, planted.valid);
  assert.equal(mf.n, 400);
  assert.ok(mf['hr@10'] > 3 * popularity['hr@10'], `mf ${mf['hr@10']} vs popularity ${popularity['hr@10']}`);
  const pq = join(shopFixtures().dir, 'mf-pq.swm');
  run(['quantize', '--in', mfBundle, '--out', pq, '--dtype', 'pq', '--pq-subspaces', '4']);
  assertParity(pq, planted.train, planted.valid);
});

test('next-for-user parity on movielens-100k', (t) => {
  const train = realDataFile('movielens-100k/train.csv');
  const valid = realDataFile('movielens-100k/valid.csv');
  if (!train || !valid) {
    t.skip('NOTICE: ../shared/data/movielens-100k is absent; real-data parity not checked');
    return;
  }
  const model = join(shopFixtures().dir, 'ml-mf.swm');
  run(['train', '--algo', 'mf', '--events', train, '--threads', '2', '--iterations', '6', '--out', model]);
  const native = assertParity(model, train, valid);
  assert.equal(native.n, 943);
  assert.ok(native['hr@10'] > 0.12, `hr@10 ${native['hr@10']}`);
});
