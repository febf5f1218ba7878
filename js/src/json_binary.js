// Private: the JS half of the binary JSON form of core/include/shelfwise/json_binary.hpp (tags,
// little-endian lengths, f64 numbers). The wasm has no JSON parser of its own: when the core
// needs JSON text read (a bundle's manifest, rules), it hands the UTF-8 bytes to jsonHost(),
// which parses them with JSON.parse and passes the tree back in this form; results the SDK reads
// as objects come out of the core in it too (decodeJsonValue).
const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const FLOAT = 3;
const UNSIGNED = 4;
const NEGATIVE = 5;
const STRING = 6;
const ARRAY = 7;
const OBJECT = 8;
// kMaxJsonBinaryDepth in json_binary.hpp.
const MAX_DEPTH = 256;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
// nlohmann refused invalid UTF-8; so does the host parser.
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

class Writer {
  constructor() {
    this.bytes = new Uint8Array(256);
    this.view = new DataView(this.bytes.buffer);
    this.length = 0;
  }

  reserve(count) {
    if (this.length + count <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  tag(tag) {
    this.reserve(1);
    this.bytes[this.length++] = tag;
  }

  u32(value) {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  number(tag, value) {
    this.tag(tag);
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  text(value) {
    const utf8 = textEncoder.encode(value);
    this.u32(utf8.length);
    this.reserve(utf8.length);
    this.bytes.set(utf8, this.length);
    this.length += utf8.length;
  }
}

// False when the value has no JSON form the core accepts (non-finite numbers: text such as 1e400,
// which nlohmann refused to parse; nesting beyond MAX_DEPTH).
function write(writer, value, depth) {
  if (depth > MAX_DEPTH) return false;
  if (value === null) {
    writer.tag(NULL);
  } else if (value === true || value === false) {
    writer.tag(value ? TRUE : FALSE);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return false;
    // JSON.parse keeps no integer/float distinction; integers within the exact range are integers.
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) writer.number(value >= 0 ? UNSIGNED : NEGATIVE, value);
    else writer.number(FLOAT, value);
  } else if (typeof value === 'string') {
    writer.tag(STRING);
    writer.text(value);
  } else if (Array.isArray(value)) {
    writer.tag(ARRAY);
    writer.u32(value.length);
    for (const element of value) if (!write(writer, element, depth + 1)) return false;
  } else {
    const keys = Object.keys(value);
    writer.tag(OBJECT);
    writer.u32(keys.length);
    for (const key of keys) {
      writer.text(key);
      if (!write(writer, value[key], depth + 1)) return false;
    }
  }
  return true;
}

/** The binary form of a JSON.parse result, or null when the core would refuse it. */
export function encodeJsonValue(value) {
  const writer = new Writer();
  return write(writer, value, 0) ? writer.bytes.subarray(0, writer.length) : null;
}

/** The value encoded in `bytes` (a view of wasm memory is fine: everything is copied out). */
export function decodeJsonValue(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let position = 0;
  const u32 = () => {
    const value = view.getUint32(position, true);
    position += 4;
    return value;
  };
  const text = () => {
    const size = u32();
    const value = textDecoder.decode(bytes.subarray(position, position + size));
    position += size;
    return value;
  };
  const read = () => {
    const tag = bytes[position++];
    switch (tag) {
      case NULL: return null;
      case FALSE: return false;
      case TRUE: return true;
      case FLOAT: case UNSIGNED: case NEGATIVE: {
        const value = view.getFloat64(position, true);
        position += 8;
        return value;
      }
      case STRING: return text();
      case ARRAY: {
        const count = u32();
        const array = [];
        for (let index = 0; index < count; index += 1) array.push(read());
        return array;
      }
      case OBJECT: {
        const count = u32();
        const object = {};
        for (let index = 0; index < count; index += 1) {
          const key = text();
          object[key] = read();
        }
        return object;
      }
      default: throw new Error(`shelfwise: bad value tag ${tag} from the core`);
    }
  };
  return read();
}

/**
 * The host half of the core's parse_json (wasm/json_parser_host.cpp), set on the Emscripten
 * module as `shelfwiseJson`: parse() reads UTF-8 JSON and returns the byte length of its binary
 * form (-1 when it is not JSON the core accepts); take() then copies that form into wasm memory.
 */
export function jsonHost() {
  let pending = null;
  return {
    parse(utf8) {
      pending = null;
      try {
        pending = encodeJsonValue(JSON.parse(strictDecoder.decode(utf8)));
      } catch {
        pending = null;
      }
      return pending === null ? -1 : pending.length;
    },
    take(heap, address) {
      heap.set(pending, address);
      pending = null;
    },
  };
}
