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

/** Installs the code table exported by the core (an array of names indexed by code number). */
export function installErrorCodes(names) {
  codeNames = Object.freeze(names);
}

/** The stable name of a core code number. */
export function codeName(number) {
  return (codeNames && codeNames[number]) || 'INTERNAL';
}

/** Throws unless `name` is one of the core's codes: JS never invents a code of its own. */
export function checkedCode(name) {
  if (codeNames && !codeNames.includes(name)) throw new Error(`shelfwise: '${name}' is not a core error code`);
  return name;
}

export function invalidArgument(message) {
  return new ShelfwiseError(checkedCode('INVALID_ARGUMENT'), message);
}
