// Surgery on bundle bytes for fault tests: the header layout of core/include/shelfwise/bundle_format.hpp.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let value = byte;
    for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? (value >>> 1) ^ 0xedb88320 : value >>> 1;
    table[byte] = value >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function readManifest(bundle) {
  const view = new DataView(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const size = Number(view.getBigUint64(16, true));
  return JSON.parse(new TextDecoder().decode(bundle.subarray(32, 32 + size)));
}

/**
 * A copy of `bundle` with one element of an f32 tensor set to NaN or Infinity and the tensor's CRC
 * fixed, so that only the value check can catch it. The CRC is rewritten in the manifest text in
 * place; NaN payloads are varied until the new CRC's decimal form is no longer than the old one.
 */
export function withNonFinite(bundle, tensorName, index, kind = 'nan') {
  const manifest = readManifest(bundle);
  const tensor = manifest.tensors.find((entry) => entry.name === tensorName);
  const size = Number(new DataView(bundle.buffer, bundle.byteOffset).getBigUint64(16, true));
  const oldText = new TextDecoder().decode(bundle.subarray(32, 32 + size));
  const marker = `"crc32":${tensor.crc32},"dtype":"f32"`;
  if (!oldText.includes(marker)) throw new Error('unexpected manifest layout');
  const patterns = kind === 'nan' ? Array.from({ length: 256 }, (_, payload) => 0x7fc00000 + payload) : [0x7f800000, 0xff800000];
  for (const bits of patterns) {
    const copy = new Uint8Array(bundle);
    const view = new DataView(copy.buffer);
    view.setUint32(tensor.offset + 4 * index, bits, true);
    const newCrc = crc32(copy.subarray(tensor.offset, tensor.offset + tensor.size));
    const padding = String(tensor.crc32).length - String(newCrc).length;
    if (padding < 0) continue;
    // JSON allows white space after a comma, which keeps the manifest's length unchanged.
    const newText = oldText.replace(marker, `"crc32":${newCrc},${' '.repeat(padding)}"dtype":"f32"`);
    copy.set(new TextEncoder().encode(newText), 32);
    view.setUint32(24, crc32(copy.subarray(32, 32 + size)), true);
    return copy;
  }
  throw new Error('no bit pattern kept the manifest length');
}
