// Helpers for the plain data values that histories carry (null, booleans, numbers, strings,
// arrays, string-keyed objects): equality, a canonical text form, hashing and a readable
// EDN-like rendering for descriptions. Must never depend on object key insertion order.

/** A value as parsed from EDN or JSON. Keywords and symbols arrive as strings without the colon. */
export type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value };

/** A canonical text form: equal values give equal text (object keys sorted). */
export function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
}

/** Structural equality of two values. */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return canonical(a) === canonical(b);
}

/** FNV-1a over UTF-16 code units, as a signed 32-bit integer. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** A hash of a value consistent with valueEquals. */
export function hashValue(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return mix32(value | 0, Math.floor(value / 4294967296) | 0);
  return hashString(canonical(value));
}

/** Mixes two 32-bit integers into one (for combining hashes). */
export function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x7feb352d, 0x846ca68b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) | 0;
}

/** Renders a value the way Jepsen prints it: nil, "text", [a b], {k v}. */
export function showValue(value: unknown): string {
  if (value === undefined) return '?';
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(' ')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${k} ${showValue(record[k])}`).join(', ')}}`;
}
