// `npm run eval` reports bad input as the native CLI does: a code, a line number, a non-zero exit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, shopFixtures } from './fixtures.mjs';

function evalScript(args) {
  return spawnSync(process.execPath, [join(repoRoot, 'scripts/eval.mjs'), ...args], { encoding: 'utf8', cwd: repoRoot });
}

test('a corrupt model exits 1 naming the error code', () => {
  const { dir, shop } = shopFixtures();
  const bad = join(dir, 'bad.swm');
  writeFileSync(bad, 'not a bundle at all');
  const result = evalScript(['--model', bad, '--events', shop.test]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /BAD_MAGIC/);
});

test('malformed rows are reported with their line numbers', () => {
  const { dir, itemknn } = shopFixtures();
  const events = join(dir, 'malformed.csv');
  writeFileSync(events, 'session_id,user_id,item_id,timestamp,event\ns1,,A,,view\ns1,,,10,view\ns1,,B,soon,view\ns2,,C,,click\n');
  const result = evalScript(['--model', itemknn, '--events', events]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /malformed.csv:3: item_id is empty/);
  assert.match(result.stderr, /malformed.csv:4: timestamp 'soon'/);
  assert.match(result.stderr, /malformed.csv:5: event 'click'/);
});

test('missing arguments exit 2 with the usage', () => {
  const result = evalScript(['--model', 'x.swm']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /usage: npm run eval/);
});
