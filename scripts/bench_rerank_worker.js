// Bench-only main module for workerd (scripts/bench_edge.mjs; never deployed): the edge worker,
// plus POST /rerank-repeat, which reads and checks a /rerank body once and then reranks it
// `x-repeat` times. workerd freezes its clocks while JavaScript runs, so the worker cannot time
// itself; the difference in the process's CPU time between x-repeat 1 and N, over N - 1, is one
// rerank inside the isolate (candidate checks, the SDK's rerank in wasm, the explanations),
// without the HTTP exchange around it.
import wasm from '../dist/shelfwise_core.wasm';
import edgeWorker from '../edge/worker.js';
import { EdgeModel } from '../edge/edge_model.js';
import { parseRerankRequest } from '../edge/rerank_request.js';

let modelPromise = null;

async function rerankRepeatedly(request, env) {
  modelPromise ??= EdgeModel.open(env, wasm);
  const model = await modelPromise;
  const repeat = Number(request.headers.get('x-repeat') ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 1000) return new Response('x-repeat: 1 to 1000', { status: 400 });
  const rerank = parseRerankRequest(await request.text(), request.headers);
  let result = null;
  for (let call = 0; call < repeat; call += 1) result = model.rerank(rerank);
  return new Response(JSON.stringify(result), { headers: { 'content-type': 'application/json' } });
}

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/rerank-repeat' && request.method === 'POST') return rerankRepeatedly(request, env);
    return edgeWorker.fetch(request, env, ctx);
  },
};
