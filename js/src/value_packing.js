// Turns a storable value (JSON-compatible data with Uint8Array leaves) into one byte string and
// back, so that it can be encrypted as a whole: [u32 JSON length][JSON][binary parts...], each
// Uint8Array replaced in the JSON by {"$bytes": [offset, length]} into the binary parts.
const BYTES_TAG = '$bytes';

export function packValue(value) {
  const parts = [];
  let binaryLength = 0;
  const json = JSON.stringify(value, (key, item) => {
    if (item instanceof Uint8Array) {
      parts.push(item);
      binaryLength += item.byteLength;
      return { [BYTES_TAG]: [binaryLength - item.byteLength, item.byteLength] };
    }
    return item;
  });
  const text = new TextEncoder().encode(json ?? 'null');
  const packed = new Uint8Array(4 + text.byteLength + binaryLength);
  new DataView(packed.buffer).setUint32(0, text.byteLength, true);
  packed.set(text, 4);
  let offset = 4 + text.byteLength;
  for (const part of parts) {
    packed.set(part, offset);
    offset += part.byteLength;
  }
  return packed;
}

export function unpackValue(packed) {
  const bytes = new Uint8Array(packed);
  const textLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const binary = bytes.subarray(4 + textLength);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + textLength)), (key, item) => {
    if (item !== null && typeof item === 'object' && Array.isArray(item[BYTES_TAG]) && Object.keys(item).length === 1) {
      const [offset, length] = item[BYTES_TAG];
      return binary.slice(offset, offset + length);
    }
    return item;
  });
}
