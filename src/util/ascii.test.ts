// The ASCII fast path must give exactly the encoder's bytes and the decoder's strings.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASCII_FAST_PATH_MAX, isShortAscii, readAscii, writeAscii } from './ascii';

describe('ASCII fast path', () => {
  it('writes what TextEncoder writes, and reads back what TextDecoder reads', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: ASCII_FAST_PATH_MAX + 8, unit: fc.constantFrom('a', 'Z', '0', '/', ' ', '\u007f', '\u0000', 'é', '\u{1F600}') }), (text) => {
        const utf8 = new TextEncoder().encode(text);
        if (isShortAscii(text)) {
          const buffer = new Uint8Array(text.length + 2);
          writeAscii(buffer, 1, text);
          expect(buffer.subarray(1, 1 + text.length)).toEqual(utf8);
        } else {
          expect(text.length > ASCII_FAST_PATH_MAX || utf8.length !== text.length || [...text].some((c) => c.charCodeAt(0) >= 0x80)).toBe(true);
        }
        const read = readAscii(utf8, 0, utf8.length);
        if (read !== null) expect(read).toBe(new TextDecoder('utf-8', { fatal: true }).decode(utf8));
        else expect(utf8.length > ASCII_FAST_PATH_MAX || utf8.some((b) => b >= 0x80)).toBe(true);
      }),
    );
  });
});
