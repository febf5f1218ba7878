// The shipped code must run where eval and new Function are forbidden (strict CSP pages, edge
// workers): the SDK is exercised in a Node process started with code generation from strings
// disabled, where any eval or new Function throws.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, shopFixtures } from './fixtures.mjs';

test('the SDK works with code generation from strings disabled', () => {
  const { itemknn } = shopFixtures();
  const script = `
    import { Personalizer } from 'shelfwise';
    const p = await Personalizer.create({ bundle: ${JSON.stringify(itemknn)} });
    let evalBlocked = false;
    try { eval('1'); } catch { evalBlocked = true; }
    const first = p.recommend({ k: 3 })[0].itemId;
    p.track({ itemId: first });
    console.log(JSON.stringify({ evalBlocked, results: p.recommend({ k: 3 }).length, related: p.related(first, 2).length }));`;
  const result = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script],
    { encoding: 'utf8', cwd: repoRoot });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { evalBlocked: true, results: 3, related: 2 });
});

test('the generated glue contains no eval or new Function', () => {
  const glue = readFileSync(join(repoRoot, 'js/dist/shelfwise_core.js'), 'utf8');
  assert.doesNotMatch(glue, /new Function\s*\(/);
  assert.doesNotMatch(glue, /[^.\w]eval\s*\(/);
});
