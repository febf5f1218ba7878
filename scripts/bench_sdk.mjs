// What the SDK ships and what it keeps: code_gzip_bytes (the SDK with its Emscripten glue and
// dependencies bundled and minified by esbuild, plus the .wasm, gzip -9) and
// heap_growth_100_swaps_bytes (wasm memory growth over 100 loadBundle() swaps of one model).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Personalizer } from 'shelfwise';

export async function codeGzipBytes(root) {
  const bundled = await build({
    entryPoints: [join(root, 'js/src/index.js')], bundle: true, minify: true, format: 'esm', platform: 'browser',
    external: ['node:*'], write: false, logLevel: 'error',
  });
  const js = Buffer.from(bundled.outputFiles[0].contents);
  const wasm = readFileSync(join(root, 'js/dist/shelfwise_core.wasm'));
  return { jsBytes: js.length, wasmBytes: wasm.length, gzipBytes: gzipSync(Buffer.concat([js, wasm]), { level: 9 }).length };
}

// Growth of the wasm heap over `swaps` replacements of a model by the same bundle, after two
// warm-up replacements: a replacement holds both models until the new one has validated (the old
// one keeps serving if it fails), so the first one grows the heap by a bundle by design, and the
// allocator settles its free blocks on the second. What must not happen is growth after that.
export async function heapGrowthSwaps(bundlePath, swaps = 100) {
  const bytes = new Uint8Array(readFileSync(bundlePath));
  const personalizer = await Personalizer.create({ bundle: bytes });
  personalizer.recommend({ k: 20 });
  for (let warmUp = 0; warmUp < 2; warmUp += 1) {
    await personalizer.loadBundle(bytes);
    personalizer.recommend({ k: 20 });
  }
  const before = personalizer.memoryStats().wasmHeapBytes;
  for (let swap = 0; swap < swaps; swap += 1) {
    await personalizer.loadBundle(bytes);
    personalizer.recommend({ k: 20 });
  }
  const after = personalizer.memoryStats().wasmHeapBytes;
  personalizer.close();
  return after - before;
}
