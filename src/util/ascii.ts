// UTF-8 for the short ASCII strings the codecs carry (node ids, keys, request ids, most values):
// ASCII is its own UTF-8, so it is written and read byte by byte, without a call into the
// TextEncoder or TextDecoder and the temporary array each makes. Anything else, or anything
// long, goes through the real encoder and decoder: the bytes and strings are the same either way.

/** Strings longer than this take the encoder's path (its fixed cost no longer dominates). */
export const ASCII_FAST_PATH_MAX = 64;

/** Whether every code unit of `text` is ASCII (then its UTF-8 is one byte per code unit). Pre: short. */
export function isShortAscii(text: string): boolean {
  if (text.length > ASCII_FAST_PATH_MAX) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Writes an ASCII string's bytes at `at`. Pre: isShortAscii(text) and room for text.length bytes. */
export function writeAscii(buffer: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) buffer[at + i] = text.charCodeAt(i);
}

/** The string of ASCII bytes data[from, to), or null when a byte is not ASCII or the run is long (decode those properly). */
export function readAscii(data: Uint8Array, from: number, to: number): string | null {
  if (to - from > ASCII_FAST_PATH_MAX) return null;
  let text = '';
  for (let i = from; i < to; i++) {
    const b = data[i] as number;
    if (b >= 0x80) return null;
    text += String.fromCharCode(b);
  }
  return text;
}
