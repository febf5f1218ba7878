// The SDK's own version, compared with a manifest's min_sdk_version: a bundle that needs a newer
// SDK is refused (SDK_TOO_OLD) rather than misread. Kept equal to js/package.json (a test checks).
export const SDK_VERSION = '0.1.0';

const VERSION_PATTERN = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;

/** [major, minor, patch], or null when `text` is not MAJOR.MINOR.PATCH. */
export function parseVersion(text) {
  const match = typeof text === 'string' ? VERSION_PATTERN.exec(text) : null;
  return match ? match.slice(1, 4).map(Number) : null;
}

/** Negative, zero or positive as a < b, a == b, a > b; both must parse. */
export function compareVersions(a, b) {
  const left = parseVersion(a);
  const right = parseVersion(b);
  for (let part = 0; part < 3; part += 1) {
    if (left[part] !== right[part]) return left[part] - right[part];
  }
  return 0;
}
