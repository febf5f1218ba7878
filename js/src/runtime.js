// Which host runs the SDK. Node (not a browser, not workerd) reads files itself and hashes with
// node:crypto; Node 20 has a global fetch that cannot read files.
export const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string' &&
  typeof navigator === 'undefined';
