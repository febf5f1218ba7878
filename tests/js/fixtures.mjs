// Test fixtures made by the real CLI: a small seeded synthetic shop and models trained on it,
// built once per test process in a temporary folder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = join(repoRoot, 'build/bin/shelfwise');
export const sharedData = resolve(repoRoot, '../shared/data');

let fixtures = null;

export function run(args, options = {}) {
  return execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** { dir, shop: {catalog, train, valid, test}, itemknn, pop } — paths; bytes via readBundle(). */
export function shopFixtures() {
  if (fixtures) return fixtures;
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-test-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const shopDir = join(dir, 'shop');
  run(['generate', '--out', shopDir, '--seed', '11', '--items', '400', '--sessions', '4000']);
  const shop = Object.fromEntries(['catalog', 'train', 'valid', 'test'].map((name) => [name, join(shopDir, `${name}.csv`)]));
  const itemknn = join(dir, 'itemknn.swm');
  const pop = join(dir, 'pop.swm');
  run(['train', '--algo', 'itemknn', '--events', shop.train, '--catalog', shop.catalog, '--out', itemknn, '--model-version', 'knn-test-1']);
  run(['train', '--algo', 'pop', '--events', shop.train, '--catalog', shop.catalog, '--out', pop, '--model-version', 'pop-test-1']);
  fixtures = { dir, shop, itemknn, pop };
  return fixtures;
}

let sknn = null;

/** A session-kNN model of the same shop, tuned on its validation split (made on first use: tuning takes seconds). */
export function sknnFixture() {
  if (sknn) return sknn;
  const { dir, shop } = shopFixtures();
  sknn = join(dir, 'sknn.swm');
  run(['train', '--algo', 'sknn', '--events', shop.train, '--catalog', shop.catalog, '--valid', shop.valid, '--threads', '2',
    '--out', sknn, '--model-version', 'sknn-test-1']);
  return sknn;
}

let intent = null;

/** A popularity model of the shop with session-intent heads (`--intent`), made on first use. */
export function intentFixture() {
  if (intent) return intent;
  const { dir, shop } = shopFixtures();
  intent = join(dir, 'intent.swm');
  run(['train', '--algo', 'pop', '--intent', '--events', shop.train, '--catalog', shop.catalog, '--out', intent,
    '--model-version', 'intent-test-1']);
  return intent;
}

let blend = null;

/** A blend of the item-kNN fixture and sknnFixture(), its weight tuned on the shop's validation split. */
export function blendFixture() {
  if (blend) return blend;
  const { dir, shop, itemknn } = shopFixtures();
  blend = join(dir, 'blend.swm');
  run(['train', '--algo', 'blend', '--models', `${itemknn},${sknnFixture()}`, '--valid', shop.valid, '--threads', '2',
    '--out', blend, '--model-version', 'blend-test-1']);
  return blend;
}

export function readBundle(path) {
  return new Uint8Array(readFileSync(path));
}

/** Path of a real-data file, or null after telling the test runner why the test is skipped. */
export function realDataFile(relativePath) {
  const path = join(sharedData, relativePath);
  return existsSync(path) ? path : null;
}
