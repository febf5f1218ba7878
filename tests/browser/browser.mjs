// Debian's chromium driven by playwright-core (never a downloaded browser), and the demo server
// started on a free port for the duration of a test file.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SHELFWISE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'shelfwise-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The demo's sample files (scripts/sample_models.sh makes them). */
export function demoFiles(repoRoot) {
  const demo = join(repoRoot, 'build/demo');
  return { models: join(demo, 'models'), shop: join(demo, 'shop'), published: join(demo, 'published'), keys: join(demo, 'keys') };
}

/** Starts demo/server.mjs on an ephemeral port; resolves to { url, stop }. */
export function startDemoServer(repoRoot, { models, shop, published, keys }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'demo/server.mjs'), '--port', '0', '--host', '127.0.0.1',
      '--models', models, '--shop', shop, '--published', published, '--keys', keys],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/http:\/\/localhost:(\d+)\//);
      if (match) resolve({ url: `http://127.0.0.1:${match[1]}/`, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`demo server exited with ${code}: ${output}`)));
  });
}
