// The 100,000-item GRU request in Node: ours through the SDK, TF.js (wasm backend) and ORT Web
// (wasm, float32) on the same weights (bench_100k_core.mjs), one thread each; and the same request
// in the native build and its wasm twin (bench/gru_request_bench.cpp) for wasm_over_native.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';
import { Personalizer } from 'shelfwise';
import { runRequestBench } from './bench_100k_core.mjs';

export async function benchRequestNode(root, bundlePath) {
  setWasmPaths(join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
  setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const bench = await runRequestBench({ Personalizer, tf, ort, bundle: new Uint8Array(readFileSync(bundlePath)) });
  const nativeTool = (command, args) => JSON.parse(execFileSync(command, args, { encoding: 'utf8' })).request_p50_ms;
  const native = nativeTool(join(root, 'build/bin/shelfwise_gru_request_bench'), [bundlePath]);
  // The tool runs every request inside one synchronous main(), and there its code stays in V8's
  // baseline (Liftoff) tier: measured 0.82 ms a request with V8's default tiering against 0.43 ms
  // with --no-liftoff, while the SDK on the same .wasm, which returns to JavaScript between
  // requests, takes 0.31 ms once warm. --no-liftoff compiles the optimised code up front, the tier
  // the SDK runs in, so the ratio compares compilers rather than V8's tiering heuristics.
  const wasm = nativeTool(process.execPath, ['--no-liftoff', join(root, 'build/emscripten/node-tools/shelfwise_gru_request_bench.js'), bundlePath]);
  return { ...bench, native, wasm };
}
