// The small pieces under sync: versions, base64, backoff, and the SDK version matching the package.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SDK_VERSION } from 'shelfwise';
import { Backoff } from '../../js/src/backoff.js';
import { base64Decode, base64UrlDecode, hex } from '../../js/src/encoding.js';
import { compareVersions, parseVersion } from '../../js/src/version.js';

test('SDK_VERSION is the package version', () => {
  const packageJson = JSON.parse(readFileSync(new URL('../../js/package.json', import.meta.url), 'utf8'));
  assert.equal(SDK_VERSION, packageJson.version);
});

test('versions compare numerically, part by part', () => {
  assert.deepEqual(parseVersion('1.20.3'), [1, 20, 3]);
  for (const bad of ['1.2', '1.2.3.4', 'v1.2.3', '01.2.3', '', null]) assert.equal(parseVersion(bad), null, String(bad));
  assert.ok(compareVersions('0.10.0', '0.9.9') > 0);
  assert.ok(compareVersions('0.1.0', '0.1.1') < 0);
  assert.equal(compareVersions('2.0.0', '2.0.0'), 0);
});

test('base64 and base64url decode what Node encodes, and refuse foreign characters', () => {
  for (let length = 0; length < 40; length += 1) {
    const bytes = Buffer.from(Array.from({ length }, (_, index) => (index * 53 + length) & 0xff));
    assert.equal(hex(base64UrlDecode(bytes.toString('base64url'))), bytes.toString('hex'));
    assert.equal(hex(base64Decode(bytes.toString('base64'))), bytes.toString('hex'));
  }
  assert.equal(base64UrlDecode('ab+/'), null);
  assert.equal(base64Decode('ab-_'), null);
  assert.equal(base64UrlDecode('a'), null);
});

test('backoff doubles up to the cap, with jitter in [0.5, 1], and resets on success', () => {
  const lowest = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, random: () => 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => lowest.failure()), [50, 100, 200, 400, 500, 500]);
  const highest = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, random: () => 1 });
  assert.deepEqual([1, 2, 3, 4, 5].map(() => highest.failure()), [100, 200, 400, 800, 1000]);
  assert.equal(highest.failures, 5);
  highest.success();
  assert.equal(highest.failures, 0);
  assert.equal(highest.failure(), 100);
});
