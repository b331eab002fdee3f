// A compact binary writer and reader: unsigned varints, zig-zag signed integers, length-prefixed
// UTF-8 strings and byte arrays. The reader never trusts its input: every read is bounds-checked
// and a malformed buffer raises a DecodeError (a value the caller turns into a rejection), never
// an out-of-range read.

import { assert } from '../util/assert';
import { isShortAscii, readAscii, writeAscii } from '../util/ascii';

export class DecodeError extends Error {
  override name = 'DecodeError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class BinaryWriter {
  private buffer = new Uint8Array(64);
  private length = 0;

  byte(value: number): this {
    assert(Number.isInteger(value) && value >= 0 && value <= 255, 'byte out of range');
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  /** An unsigned integer up to 2^53 - 1, 7 bits per byte. */
  uvarint(value: number): this {
    assert(Number.isSafeInteger(value) && value >= 0, 'uvarint needs a non-negative safe integer');
    this.reserve(8);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
    return this;
  }

  /** A signed safe integer, zig-zag encoded so small magnitudes stay short. */
  varint(value: number): this {
    assert(Number.isSafeInteger(value), 'varint needs a safe integer');
    return this.uvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  bytes(data: Uint8Array): this {
    this.uvarint(data.length);
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  string(text: string): this {
    if (!isShortAscii(text)) return this.bytes(encoder.encode(text));
    // ASCII is its own UTF-8: the same bytes as the encoder's, without its temporary array.
    this.uvarint(text.length);
    this.reserve(text.length);
    writeAscii(this.buffer, this.length, text);
    this.length += text.length;
    return this;
  }

  /** A string or null (a presence byte first). */
  optionalString(text: string | null): this {
    if (text === null) return this.byte(0);
    return this.byte(1).string(text);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}

export class BinaryReader {
  private offset = 0;

  constructor(private readonly data: Uint8Array) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  byte(): number {
    if (this.offset >= this.data.length) throw new DecodeError(`truncated at byte ${this.offset}`);
    return this.data[this.offset++] as number;
  }

  uvarint(): number {
    let value = 0;
    let scale = 1;
    // At most 8 bytes: 7 bits each covers 2^53.
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) throw new DecodeError('varint beyond 2^53');
        return value;
      }
      scale *= 0x80;
    }
    throw new DecodeError('varint longer than 8 bytes');
  }

  varint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  bytes(lengthMax: number = 1 << 24): Uint8Array {
    const length = this.uvarint();
    if (length > lengthMax) throw new DecodeError(`field of ${length} bytes exceeds ${lengthMax}`);
    if (length > this.remaining) throw new DecodeError(`field of ${length} bytes but only ${this.remaining} remain`);
    const out = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  string(lengthMax?: number): string {
    const bytes = this.bytes(lengthMax);
    const ascii = readAscii(bytes, 0, bytes.length);
    if (ascii !== null) return ascii;
    try {
      return decoder.decode(bytes);
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError('invalid UTF-8');
    }
  }

  optionalString(): string | null {
    const present = this.byte();
    if (present === 0) return null;
    if (present !== 1) throw new DecodeError(`bad presence byte ${present}`);
    return this.string();
  }

  /** Pre-condition for a complete message: nothing may follow it. */
  end(): void {
    if (this.remaining !== 0) throw new DecodeError(`${this.remaining} unexpected trailing bytes`);
  }
}
