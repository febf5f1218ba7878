// Private: instantiates the Emscripten build of the core once per wasm source, its C exports
// wrapped by core_binding.js. The host may hand in the .wasm as a URL, bytes or a compiled
// WebAssembly.Module (workerd can only use the last).
import createShelfwiseCore from '../dist/shelfwise_core.js';
import { bindCore } from './core_binding.js';
import { installErrorCodes, ShelfwiseError } from './errors.js';
import { jsonHost } from './json_binary.js';
import { isNode, nodeBuiltin } from './runtime.js';

let defaultModule = null;

// Synchronous on purpose: the SDK's own 300 KB .wasm reads in well under a millisecond, and a
// thread-pool round trip costs more at a cold start.
async function nodeReadFile(url) {
  return (await nodeBuiltin('node:fs')).readFileSync(url);
}

// Node compiles the bytes on this thread: V8 compiles wasm functions lazily, so this is little
// more than validation, and it skips the hops of an asynchronous compile (browsers must compile
// asynchronously: they refuse large synchronous compiles on the main thread). The glue calls
// instantiateWasm within the factory call and, should it throw, only logs and waits forever: a
// failure is kept for instantiate() to report instead.
function nodeInstantiate(bytes) {
  let failure = null;
  return {
    instantiateWasm(imports, done) {
      try {
        const module = new WebAssembly.Module(bytes);
        done(new WebAssembly.Instance(module, imports), module);
      } catch (error) {
        failure = error;
      }
      return {};
    },
    instantiationFailure: () => failure,
  };
}

async function moduleOptions(wasm) {
  if (wasm instanceof WebAssembly.Module) {
    return {
      locateFile: (path) => path,
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(wasm, imports).then((instance) => done(instance));
        return {};
      },
    };
  }
  if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) {
    const bytes = wasm instanceof ArrayBuffer ? new Uint8Array(wasm) : wasm;
    return isNode ? nodeInstantiate(bytes) : { wasmBinary: bytes };
  }
  if (typeof wasm === 'string' || wasm instanceof URL) {
    const url = new URL(String(wasm), isNode ? `file://${process.cwd()}/` : globalThis.location?.href);
    if (url.protocol === 'file:') return nodeInstantiate(await nodeReadFile(url));
    return { locateFile: () => url.href };
  }
  if (wasm !== undefined) throw new ShelfwiseError('INVALID_ARGUMENT', 'wasm must be a URL, bytes or a WebAssembly.Module');
  // Node 20 has a global fetch that cannot read files, so the glue's own loading would fail there.
  if (isNode) return nodeInstantiate(await nodeReadFile(new URL('../dist/shelfwise_core.wasm', import.meta.url)));
  return {};
}

async function instantiate(wasm) {
  let core;
  try {
    // The core reads JSON text through the host's JSON.parse (wasm/json_parser_host.cpp).
    const options = await moduleOptions(wasm);
    const ready = createShelfwiseCore({ ...options, shelfwiseJson: jsonHost() });
    const failure = options.instantiationFailure?.();
    if (failure) throw failure;
    core = bindCore(await ready);
  } catch (error) {
    if (error instanceof ShelfwiseError) throw error;
    throw new ShelfwiseError('IO_ERROR', `cannot start the shelfwise wasm module: ${error?.message ?? error}`);
  }
  installErrorCodes(() => core.errorCodeNames());
  return core;
}

/** The core module for `wasm` (undefined = the copy beside this package), instantiated once. */
export function loadCoreModule(wasm) {
  if (wasm !== undefined) return instantiate(wasm);
  if (!defaultModule) {
    defaultModule = instantiate(undefined);
    defaultModule.catch(() => { defaultModule = null; });
  }
  return defaultModule;
}

