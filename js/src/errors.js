// One error class for everything the SDK throws. Codes are the core's stable names
// (core/include/shelfwise/error_codes.def), read from the wasm module at start-up.

export class ShelfwiseError extends Error {
  /**
   * @param {string} code stable upper-case code, e.g. 'BAD_MAGIC'
   * @param {string} message what went wrong, naming the field or argument
   */
  constructor(code, message) {
    super(message);
    this.name = 'ShelfwiseError';
    this.code = code;
  }
}

let codeNames = null;
let readCodeNames = null;

/**
 * Installs where the core's code table comes from (a function returning an array of names indexed
 * by code number). Read at the first error rather than at start-up: asking the core for it cost a
 * millisecond of every cold start, and most page views never meet an error.
 */
export function installErrorCodes(read) {
  codeNames = null;
  readCodeNames = read;
}

function names() {
  if (!codeNames && readCodeNames) codeNames = Object.freeze(readCodeNames());
  return codeNames;
}

/** The stable name of a core code number. */
export function codeName(number) {
  return names()?.[number] || 'INTERNAL';
}

/** Throws unless `name` is one of the core's codes: JS never invents a code of its own. */
export function checkedCode(name) {
  const known = names();
  if (known && !known.includes(name)) throw new Error(`shelfwise: '${name}' is not a core error code`);
  return name;
}

export function invalidArgument(message) {
  return new ShelfwiseError(checkedCode('INVALID_ARGUMENT'), message);
}
