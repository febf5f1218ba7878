// Node-side tooling (never shipped in the worker): runs the edge worker in real workerd on a free
// loopback port, for the tests and the benchmark.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeConfig } from './make_config.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WORKERD = join(repoRoot, 'node_modules/.bin/workerd');

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
    try {
      const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.status;
    } catch {
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }
  throw new Error(`workerd did not answer on ${url} within ${deadlineMs} ms`);
}

/**
 * Starts workerd with a generated config (options as makeConfig's, without out/port); resolves to
 * { url, pid, stop(), size, log() } once /health answers (with any status).
 */
export async function startWorkerd(options) {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-edge-'));
  const port = await freePort();
  const written = makeConfig({ ...options, out: join(dir, 'config.capnp'), port, address: '127.0.0.1' });
  const child = spawn(WORKERD, ['serve', written.config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const url = `http://127.0.0.1:${port}/`;
  const stop = () => new Promise((resolveStop) => {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      resolveStop();
      return;
    }
    child.once('exit', () => {
      rmSync(dir, { recursive: true, force: true });
      resolveStop();
    });
    child.kill('SIGTERM');
  });
  try {
    await waitForHealth(url, child, 20000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${output}`);
  }
  return { url, pid: child.pid, stop, size: { raw: written.raw, gzip: written.gzip, files: written.files }, log: () => output };
}
