// Which host runs the SDK. Node (not a browser, not workerd) reads files itself and hashes with
// node:crypto; Node 20 has a global fetch that cannot read files.
export const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string' &&
  typeof navigator === 'undefined';

/**
 * A Node built-in, through process.getBuiltinModule where Node has it (20.16+): an import() of
 * 'node:fs' builds an ES-module facade of every export, which loads all of node:stream (about 4–7
 * ms of a cold start on a small VM).
 */
export async function nodeBuiltin(name) {
  return process.getBuiltinModule?.(name) ?? import(name);
}

/**
 * A function that returns the Node built-in, loading it at its first call, or null where Node
 * cannot hand it over synchronously (before 20.16). For built-ins a cold start may never need:
 * node:crypto costs milliseconds to load.
 */
export function lazyNodeBuiltin(name) {
  if (!isNode || typeof process.getBuiltinModule !== 'function') return null;
  let module = null;
  return () => (module ??= process.getBuiltinModule(name));
}
