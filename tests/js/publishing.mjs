// Published folders for the sync tests, made by the real CLI (keygen, publish), plus a way to
// re-sign an edited manifest payload with the same key, for faults the CLI would never produce.
import { sign, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './fixtures.mjs';

const temporaryFolders = [];
process.on('exit', () => temporaryFolders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function temporaryFolder(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaryFolders.push(dir);
  return dir;
}

export function makeKeys(name = 'keys') {
  const dir = temporaryFolder(`shelfwise-${name}-`);
  run(['keygen', '--out', dir]);
  return {
    dir,
    signingKey: join(dir, 'signing-key.pem'),
    publicKeyPem: readFileSync(join(dir, 'public-key.pem'), 'utf8'),
  };
}

export function newFolder() {
  return temporaryFolder('shelfwise-published-');
}

export function publish(folder, keys, bundle, extra = []) {
  return JSON.parse(run(['publish', '--bundle', bundle, '--dir', folder, '--key', keys.signingKey, '--json', ...extra]));
}

export function rollback(folder, keys, version, extra = []) {
  return JSON.parse(run(['publish', '--dir', folder, '--key', keys.signingKey, '--rollback', version, '--json', ...extra]));
}

export function readPayload(folder, channel = 'stable') {
  return JSON.parse(JSON.parse(readFileSync(join(folder, channel, 'manifest.json'), 'utf8')).payload);
}

/** A manifest envelope for `payload`, signed as the publisher signs (ES256, r || s, base64url). */
export function signedManifest(payload, keys) {
  const payloadText = JSON.stringify(payload);
  const signature = sign('sha256', Buffer.from(payloadText), {
    key: createPrivateKey(readFileSync(keys.signingKey)), dsaEncoding: 'ieee-p1363',
  });
  return JSON.stringify({ format: 'shelfwise-signed-manifest', algorithm: 'ES256', key_id: 'test', payload: payloadText,
    signature: signature.toString('base64url') });
}

export function writeManifest(folder, payload, keys, channel = 'stable') {
  writeFileSync(join(folder, channel, 'manifest.json'), signedManifest(payload, keys));
}
