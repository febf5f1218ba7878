// The edge rows of the benchmark, measured in real workerd (js/edge/workerd_process.mjs).
//
// workerd freezes its clocks while JavaScript runs (a Spectre mitigation, as on Cloudflare), so the
// worker cannot time itself. The rerank is therefore timed from outside: sequential keep-alive
// requests from Node over loopback, alternating a rerank of 200 candidates (the visit in the body,
// every rule) with GET /health (routing, headers and the HTTP round trip without the work);
// rerank200_p50_ms_workerd = p50(rerank request) - p50(health request). It includes reading and
// checking the JSON body and writing the JSON answer, which is the worker's own work per rerank.
import { startWorkerd } from '../js/edge/workerd_process.mjs';
import { deploymentSize, workerModules } from '../js/edge/make_config.mjs';

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function timed(url, init) {
  const start = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  const elapsed = performance.now() - start;
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return elapsed;
}

/** { rerankP50, healthP50, p50 (the difference), p95 (rerank p95 - health p50), n } */
export async function edgeRerankLatency({ model, candidates, rules, sessions, requests = 400 }) {
  const worker = await startWorkerd({ model });
  try {
    const rerankUrl = new URL('/rerank', worker.url);
    const healthUrl = new URL('/health', worker.url);
    const rerankTimes = [];
    const healthTimes = [];
    for (let index = 0; index < requests + 20; index += 1) {
      const body = JSON.stringify({ items: candidates, session: sessions[index % sessions.length], slot: 'category-rerank', k: 40, rules });
      const health = await timed(healthUrl, {});
      const rerank = await timed(rerankUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (index >= 20) { // the first requests warm the isolate up
        healthTimes.push(health);
        rerankTimes.push(rerank);
      }
    }
    rerankTimes.sort((a, b) => a - b);
    healthTimes.sort((a, b) => a - b);
    const healthP50 = quantile(healthTimes, 0.5);
    return {
      rerankP50: quantile(rerankTimes, 0.5), healthP50, n: rerankTimes.length,
      p50: quantile(rerankTimes, 0.5) - healthP50, p95: quantile(rerankTimes, 0.95) - healthP50,
    };
  } finally {
    await worker.stop();
  }
}

/** Raw and gzip -9 bytes of worker + SDK modules + glue + .wasm + the model. */
export function edgeBundleSize(model) {
  return deploymentSize(workerModules().map(([, path]) => path).concat([model]));
}
