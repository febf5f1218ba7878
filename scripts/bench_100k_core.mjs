// The 100,000-item request benchmark, the same in Node and in the Chromium page (bench_chromium.mjs):
//   ours: the SDK's track() of one event + recommend({ k: 20 }) on a GRU bundle;
//   TF.js (wasm backend), same weights: one GRU step (gru_network.hpp's equations) + scores of every
//     item + topk;
//   ONNX Runtime Web (wasm, float32), same weights: scoring alone, hidden [1,d] x embeddings [d,n]
//     + bias, TopK.
// The caller imports the libraries (the SDK, tf, ort) and hands them in.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The GRU tensors of a .swm bundle (bundle_format.hpp: 32-byte header, JSON manifest, tensors at absolute offsets). */
export function readGruWeights(bundle) {
  const bytes = bundle instanceof Uint8Array ? bundle : new Uint8Array(bundle);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const manifestSize = Number(view.getBigUint64(16, true));
  const manifest = JSON.parse(new TextDecoder().decode(bytes.subarray(32, 32 + manifestSize)));
  const tensor = (name, Type) => {
    const info = manifest.tensors.find((entry) => entry.name === name);
    if (!info) throw new Error(`bundle has no tensor '${name}'`);
    // A copy, so the typed array is aligned and independent of the file buffer.
    const copy = bytes.slice(info.offset, info.offset + info.size);
    return { data: new Type(copy.buffer, 0, info.size / Type.BYTES_PER_ELEMENT), shape: info.shape };
  };
  const embeddings = tensor('gru.item_embeddings', Float32Array);
  const [d, n] = embeddings.shape;
  const idOffsets = tensor('items.offsets', Uint32Array).data;
  const idBytes = tensor('items.bytes', Uint8Array).data;
  const decoder = new TextDecoder();
  return {
    d,
    n,
    itemIds: Array.from({ length: n }, (_, item) => decoder.decode(idBytes.subarray(idOffsets[item], idOffsets[item + 1]))),
    embeddings: embeddings.data, // [d, n]
    bias: tensor('gru.item_bias', Float32Array).data, // [n]
    inputWeights: tensor('gru.input_weights', Float32Array).data, // [3d, d]
    hiddenWeights: tensor('gru.hidden_weights', Float32Array).data, // [3d, d]
    gateBias: tensor('gru.gate_bias', Float32Array).data, // [3d]
  };
}

/** The same step as GruNetwork::step in float64 JS (the check's hidden state for ORT). */
export function gruStep(weights, item, hidden) {
  const { d, n, embeddings, inputWeights, hiddenWeights, gateBias } = weights;
  const x = Array.from({ length: d }, (_, j) => embeddings[j * n + item]);
  const gate = (row, recurrent) => {
    let sum = gateBias[row];
    for (let j = 0; j < d; j += 1) sum += inputWeights[row * d + j] * x[j];
    for (let j = 0; j < d; j += 1) sum += hiddenWeights[row * d + j] * recurrent[j];
    return sum;
  };
  const sigmoid = (v) => 1 / (1 + Math.exp(-v));
  const reset = Array.from({ length: d }, (_, i) => sigmoid(gate(i, hidden)) * hidden[i]);
  const update = Array.from({ length: d }, (_, i) => sigmoid(gate(d + i, hidden)));
  const candidate = Array.from({ length: d }, (_, i) => Math.tanh(gate(2 * d + i, reset)));
  return Float32Array.from({ length: d }, (_, i) => (1 - update[i]) * hidden[i] + update[i] * candidate[i]);
}

/** ONNX model bytes: scores = hidden [1,d] x embeddings [d,n] + bias; TopK(k) of the scores. */
export function onnxScoringModel(weights, k) {
  const { TensorProto } = onnx;
  const floatTensor = (name, dims, values) => TensorProto.create({
    name, dims, dataType: TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  });
  const valueInfo = (name, elemType, dims) => onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
  });
  const graph = onnx.GraphProto.create({
    name: 'shelfwise_gru_scoring',
    node: [
      { opType: 'MatMul', input: ['hidden', 'embeddings'], output: ['logits'], name: 'score' },
      { opType: 'Add', input: ['logits', 'bias'], output: ['scores'], name: 'bias' },
      {
        opType: 'TopK', input: ['scores', 'k'], output: ['values', 'indices'], name: 'top_k',
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }],
      },
    ],
    initializer: [
      floatTensor('embeddings', [weights.d, weights.n], weights.embeddings),
      floatTensor('bias', [weights.n], weights.bias),
      TensorProto.create({ name: 'k', dims: [1], dataType: TensorProto.DataType.INT64, int64Data: [k] }),
    ],
    input: [valueInfo('hidden', TensorProto.DataType.FLOAT, [1, weights.d])],
    output: [valueInfo('values', TensorProto.DataType.FLOAT, [1, k]), valueInfo('indices', TensorProto.DataType.INT64, [1, k])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8, producerName: 'shelfwise-bench', opsetImport: [{ domain: '', version: 17 }], graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** ORT Web session (wasm, one thread): run(hidden Float32Array) -> top-k item indices. */
export async function createOrtScoring(ort, weights, k) {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(onnxScoringModel(weights, k), { executionProviders: ['wasm'] });
  return async (hidden) => {
    const output = await session.run({ hidden: new ort.Tensor('float32', hidden, [1, weights.d]) });
    return Array.from(output.indices.data, Number);
  };
}

/**
 * TF.js (its backend already set to 'wasm'): request(item) applies one event to the kept hidden
 * state (one GRU step), scores every item and returns the top-k indices; reset() zeroes the state.
 * Row vectors and kernels stored [in, out] as a Keras GRU keeps them: the fastest layout of TF.js
 * wasm's matMul here (a transposed operand was 2-3x slower in a trial).
 */
export function createTfjsRequest(tf, weights, k) {
  const { d, n } = weights;
  const embeddings = tf.tensor2d(weights.embeddings, [d, n]);
  const bias = tf.tensor2d(weights.bias, [1, n]);
  const [inputKernel, gateKernel, candidateKernel] = tf.tidy(() => [
    tf.transpose(tf.tensor2d(weights.inputWeights, [3 * d, d])), // [d, 3d]
    tf.transpose(tf.tensor2d(weights.hiddenWeights.subarray(0, 2 * d * d), [2 * d, d])), // [d, 2d]
    tf.transpose(tf.tensor2d(weights.hiddenWeights.subarray(2 * d * d), [d, d])), // [d, d]
  ]);
  const gateBias = tf.tensor2d(weights.gateBias, [1, 3 * d]);
  let hidden = tf.zeros([1, d]);
  return {
    reset() {
      hidden.dispose();
      hidden = tf.zeros([1, d]);
    },
    request(item) {
      const [next, indices] = tf.tidy(() => {
        const x = tf.reshape(tf.gather(embeddings, [item], 1), [1, d]);
        const fromInput = tf.add(tf.matMul(x, inputKernel), gateBias); // [1, 3d]
        const gates = tf.sigmoid(tf.add(tf.slice(fromInput, [0, 0], [1, 2 * d]), tf.matMul(hidden, gateKernel)));
        const reset = tf.slice(gates, [0, 0], [1, d]);
        const update = tf.slice(gates, [0, d], [1, d]);
        const candidate = tf.tanh(tf.add(tf.slice(fromInput, [0, 2 * d], [1, d]), tf.matMul(tf.mul(reset, hidden), candidateKernel)));
        const state = tf.add(tf.mul(tf.sub(1, update), hidden), tf.mul(update, candidate));
        const scores = tf.add(tf.matMul(state, embeddings), bias); // [1, n]
        return [state, tf.topk(scores, k).indices];
      });
      hidden.dispose();
      hidden = next;
      const result = Array.from(indices.dataSync());
      indices.dispose();
      return result;
    },
  };
}

/** The SDK side: request(itemId) = track one view + recommend k; every `sessionLength` events a new visit. */
export function createOurRequest(personalizer, k, sessionLength = 10) {
  let events = 0;
  return {
    reset() {
      personalizer.clearSession();
      events = 0;
    },
    request(itemId) {
      if (events === sessionLength) this.reset();
      events += 1;
      personalizer.track({ type: 'view', itemId, time: 0 });
      return personalizer.recommend({ k }).map((result) => result.itemId);
    },
  };
}

/**
 * Every p50 of the 100k row for one environment, after checking that TF.js and ORT return our
 * top-k for single-event visits. `Personalizer` is the SDK's class, `tf` has its backend set.
 * Returns { ours, tfjs, ort, mismatches } (milliseconds; mismatches are messages, empty when all agree).
 */
export async function runRequestBench({ Personalizer, tf, ort, bundle, wasm, k = 20, runs = 500, peerRuns = 200 }) {
  const weights = readGruWeights(bundle);
  const personalizer = await Personalizer.create({ bundle, ...(wasm ? { wasm } : {}) });
  const ours = createOurRequest(personalizer, k);
  const theirs = tf ? createTfjsRequest(tf, weights, k) : null;
  const ortScoring = ort ? await createOrtScoring(ort, weights, k) : null;
  // Items spread over the catalogue, the same sequence for everyone.
  const items = Array.from({ length: 997 }, (_, index) => (index * 7919 + 13) % weights.n);
  const mismatches = [];
  for (const item of items.slice(0, 5)) {
    ours.reset();
    const expected = ours.request(weights.itemIds[item]);
    if (theirs) {
      theirs.reset();
      const got = theirs.request(item).map((index) => weights.itemIds[index]);
      const message = topKMismatch(`TF.js after item ${weights.itemIds[item]}`, expected, got);
      if (message) mismatches.push(message);
    }
    if (ortScoring) {
      const got = (await ortScoring(gruStep(weights, item, new Float32Array(weights.d)))).map((index) => weights.itemIds[index]);
      const message = topKMismatch(`ORT after item ${weights.itemIds[item]}`, expected, got);
      if (message) mismatches.push(message);
    }
  }
  ours.reset();
  const result = { mismatches };
  result.ours = await p50Ms((index) => ours.request(weights.itemIds[items[index % items.length]]), { runs, warmup: 50 });
  personalizer.close();
  if (theirs) result.tfjs = await p50Ms((index) => theirs.request(items[index % items.length]), { runs: peerRuns, warmup: 20 });
  if (ortScoring) {
    let hidden = new Float32Array(weights.d);
    const states = items.slice(0, 10).map((item) => (hidden = gruStep(weights, item, hidden)));
    result.ort = await p50Ms((index) => ortScoring(states[index % states.length]), { runs: peerRuns, warmup: 20 });
  }
  return result;
}

export function median(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** p50 milliseconds of `call(i)` over `runs` calls after `warmup` calls (call may be async). */
export async function p50Ms(call, { runs, warmup }) {
  for (let index = 0; index < warmup; index += 1) await call(index);
  const times = [];
  for (let index = 0; index < runs; index += 1) {
    const start = performance.now();
    const result = call(warmup + index);
    if (typeof result?.then === 'function') await result;
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * "" when the two top-k lists hold the same items, else what differs. As sets: float sums in other
 * orders may swap two items whose scores differ in the last bits.
 */
export function topKMismatch(name, ours, theirs) {
  const theirSet = new Set(theirs);
  if (ours.length === theirs.length && ours.every((item) => theirSet.has(item))) return '';
  return `${name}: top-${ours.length} differs from ours: ours [${ours.join(',')}] vs [${theirs.join(',')}]`;
}
