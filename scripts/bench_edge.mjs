// The edge rows of the benchmark, measured in real workerd (js/edge/workerd_process.mjs).
//
// workerd freezes its clocks while JavaScript runs (a Spectre mitigation, as on Cloudflare), so the
// worker cannot time itself. Requests are sent one at a time from Node over loopback keep-alive,
// alternating a rerank of 200 candidates (the visit in the body, every rule) with GET /health
// (routing, headers and the HTTP exchange without the work), and measured two ways:
//  - CPU: the workerd process's CPU time around each request (scripts/process_cpu.mjs), which is
//    what an edge platform's CPU limit counts; cpu p50 = p50(rerank) - p50(health), the worker's
//    own work: reading and checking the JSON body, the rerank in wasm, writing the JSON answer.
//  - wall clock: the same difference of round trips, which adds the loopback transfer of the
//    ~7 KB request body and Node's side of it.
import { processCpuNs } from './process_cpu.mjs';
import { startWorkerd } from '../js/edge/workerd_process.mjs';
import { deploymentSize, workerModules } from '../js/edge/make_config.mjs';

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** { wall, cpu } in ms of one request; cpu is workerd's CPU time over it (null without /proc). */
async function timed(url, init, pid) {
  const cpuStart = processCpuNs(pid);
  const start = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  const wall = performance.now() - start;
  const cpuEnd = processCpuNs(pid);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { wall, cpu: cpuStart === null || cpuEnd === null ? null : (cpuEnd - cpuStart) / 1e6 };
}

function summary(rerankTimes, healthTimes) {
  rerankTimes.sort((a, b) => a - b);
  healthTimes.sort((a, b) => a - b);
  const healthP50 = quantile(healthTimes, 0.5);
  return {
    rerankP50: quantile(rerankTimes, 0.5), healthP50,
    p50: quantile(rerankTimes, 0.5) - healthP50, p95: quantile(rerankTimes, 0.95) - healthP50,
  };
}

/**
 * { cpu: { rerankP50, healthP50, p50 (the difference), p95 (rerank p95 - health p50) } or null,
 *   wall: the same in round-trip time, n }
 */
export async function edgeRerankLatency({ model, candidates, rules, sessions, requests = 400 }) {
  const worker = await startWorkerd({ model });
  try {
    const rerankUrl = new URL('/rerank', worker.url);
    const healthUrl = new URL('/health', worker.url);
    const rerankTimes = [];
    const healthTimes = [];
    for (let index = 0; index < requests + 20; index += 1) {
      const body = JSON.stringify({ items: candidates, session: sessions[index % sessions.length], slot: 'category-rerank', k: 40, rules });
      const health = await timed(healthUrl, {}, worker.pid);
      const rerank = await timed(rerankUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, worker.pid);
      if (index >= 20) { // the first requests warm the isolate up
        healthTimes.push(health);
        rerankTimes.push(rerank);
      }
    }
    const hasCpu = rerankTimes.every((time) => time.cpu !== null) && healthTimes.every((time) => time.cpu !== null);
    return {
      cpu: hasCpu ? summary(rerankTimes.map((time) => time.cpu), healthTimes.map((time) => time.cpu)) : null,
      wall: summary(rerankTimes.map((time) => time.wall), healthTimes.map((time) => time.wall)),
      n: rerankTimes.length,
    };
  } finally {
    await worker.stop();
  }
}

const BENCH_WORKER = new URL('./bench_rerank_worker.js', import.meta.url).pathname;

/**
 * One rerank inside the workerd isolate, without the HTTP exchange: pairs of POST /rerank-repeat
 * (scripts/bench_rerank_worker.js) with the same body and x-repeat 1 and `repeat`; the CPU time
 * of the workerd process between them over repeat - 1 is one call. { p50, p95, n } in ms, or null
 * without /proc.
 */
export async function edgeRerankInIsolate({ model, candidates, rules, sessions, pairs = 200, repeat = 11 }) {
  const worker = await startWorkerd({ model, main: BENCH_WORKER });
  try {
    const url = new URL('/rerank-repeat', worker.url);
    const perCall = [];
    for (let index = 0; index < pairs + 10; index += 1) {
      const body = JSON.stringify({ items: candidates, session: sessions[index % sessions.length], slot: 'category-rerank', k: 40, rules });
      const init = (times) => ({ method: 'POST', headers: { 'content-type': 'application/json', 'x-repeat': String(times) }, body });
      const once = await timed(url, init(1), worker.pid);
      const many = await timed(url, init(repeat), worker.pid);
      if (once.cpu === null || many.cpu === null) return null;
      if (index >= 10) perCall.push((many.cpu - once.cpu) / (repeat - 1)); // the first pairs warm the isolate up
    }
    perCall.sort((a, b) => a - b);
    return { p50: quantile(perCall, 0.5), p95: quantile(perCall, 0.95), n: perCall.length };
  } finally {
    await worker.stop();
  }
}

/** Raw and gzip -9 bytes of worker + SDK modules + glue + .wasm + the model. */
export function edgeBundleSize(model) {
  return deploymentSize(workerModules().map(([, path]) => path).concat([model]));
}
