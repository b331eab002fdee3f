// Little-endian byte writer and reader for the storage codecs. The writer grows a buffer; the
// reader walks untrusted bytes from disk and reports running off the end or a malformed value
// as a DecodeError (damaged data is a fact of the world, not a bug), which the codecs turn into
// values with messages. Must never read outside the bytes it was given.

import { assert } from '../util/assert';
import { isShortAscii, writeAscii } from '../util/ascii';

/** Damaged or foreign bytes: thrown by ByteReader, caught by the decoders that use it. */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

const UINT32_LIMIT = 0x1_0000_0000;
const TEXT_ENCODER = new TextEncoder();
const TEXT_DECODER = new TextDecoder('utf-8', { fatal: true });
/** Strings (node ids) are short; a longer one is damage, not data. */
export const STRING_BYTES_MAX = 0xffff;

/**
 * Writes little-endian integers byte by byte rather than through a DataView: writers are made for
 * every frame and message, and a DataView over a small array makes V8 give that array a backing
 * store of its own (and is one more object), which cost more than the writing.
 */
export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialBytes = 256) {
    assert(Number.isSafeInteger(initialBytes) && initialBytes > 0, 'ByteWriter: initial size must be positive');
    this.buffer = new Uint8Array(initialBytes);
  }

  get sizeBytes(): number {
    return this.length;
  }

  u8(value: number): void {
    assert(Number.isInteger(value) && value >= 0 && value <= 0xff, `u8 out of range: ${value}`);
    this.reserve(1);
    this.buffer[this.length] = value;
    this.length += 1;
  }

  u16(value: number): void {
    assert(Number.isInteger(value) && value >= 0 && value <= 0xffff, `u16 out of range: ${value}`);
    this.reserve(2);
    this.buffer[this.length] = value & 0xff;
    this.buffer[this.length + 1] = value >>> 8;
    this.length += 2;
  }

  u32(value: number): void {
    assert(Number.isInteger(value) && value >= 0 && value < UINT32_LIMIT, `u32 out of range: ${value}`);
    this.reserve(4);
    this.put32(this.length, value);
    this.length += 4;
  }

  /** A non-negative safe integer in 8 bytes (low word first). */
  u64(value: number): void {
    assert(Number.isSafeInteger(value) && value >= 0, `u64 must be a non-negative safe integer: ${value}`);
    this.reserve(8);
    this.put32(this.length, value % UINT32_LIMIT);
    this.put32(this.length + 4, Math.floor(value / UINT32_LIMIT));
    this.length += 8;
  }

  /** Raw bytes, no length prefix. */
  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** A u32 length, then the bytes. */
  bytes(data: Uint8Array): void {
    this.u32(data.length);
    this.raw(data);
  }

  /** A u16 length, then the UTF-8 bytes. */
  string(text: string): void {
    if (isShortAscii(text)) {
      // ASCII is its own UTF-8: the same bytes as the encoder's, without its temporary array.
      this.u16(text.length);
      this.reserve(text.length);
      writeAscii(this.buffer, this.length, text);
      this.length += text.length;
      return;
    }
    const encoded = TEXT_ENCODER.encode(text);
    assert(encoded.length <= STRING_BYTES_MAX, `string of ${encoded.length} bytes is too long to encode`);
    this.u16(encoded.length);
    this.raw(encoded);
  }

  /** Overwrites a u32 written earlier (for lengths and checksums known only at the end). */
  patchU32(offset: number, value: number): void {
    assert(offset >= 0 && offset + 4 <= this.length, 'patchU32: offset outside what was written');
    assert(Number.isInteger(value) && value >= 0 && value < UINT32_LIMIT, `u32 out of range: ${value}`);
    this.put32(offset, value);
  }

  /** A view of the bytes written so far (shares the buffer until the next write). */
  peek(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /**
   * The writer's own buffer, valid up to sizeBytes: for reading back what was written (checksums)
   * without making a view of it. Pre: not kept past the next write (a write may replace it).
   */
  written(): Uint8Array {
    return this.buffer;
  }

  /** Forgets what was written, keeping the buffer: a writer reused for one encoding after another. */
  reset(): void {
    this.length = 0;
  }

  /** A copy of the bytes written so far, exactly sized. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extraBytes: number): void {
    const needed = this.length + extraBytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Pre: 0 <= value < 2^32 and the four bytes are reserved. */
  private put32(at: number, value: number): void {
    const b = this.buffer;
    b[at] = value & 0xff;
    b[at + 1] = (value >>> 8) & 0xff;
    b[at + 2] = (value >>> 16) & 0xff;
    b[at + 3] = value >>> 24;
  }
}

export class ByteReader {
  private readonly view: DataView;
  private at: number;

  constructor(
    private readonly data: Uint8Array,
    start = 0,
    private readonly end = data.length,
  ) {
    assert(start >= 0 && start <= end && end <= data.length, 'ByteReader: bad range');
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.at = start;
  }

  get offset(): number {
    return this.at;
  }

  get remainingBytes(): number {
    return this.end - this.at;
  }

  u8(): number {
    this.need(1);
    const value = this.data[this.at] as number;
    this.at += 1;
    return value;
  }

  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.at, true);
    this.at += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  u64(): number {
    this.need(8);
    const low = this.view.getUint32(this.at, true);
    const high = this.view.getUint32(this.at + 4, true);
    this.at += 8;
    const value = high * UINT32_LIMIT + low;
    if (!Number.isSafeInteger(value)) throw new DecodeError(`u64 at ${this.at - 8} exceeds the safe integer range`);
    return value;
  }

  /** length raw bytes, copied (the caller may keep them after the buffer is reused). */
  raw(length: number): Uint8Array {
    this.need(length);
    const out = this.data.slice(this.at, this.at + length);
    this.at += length;
    return out;
  }

  bytes(): Uint8Array {
    return this.raw(this.u32());
  }

  string(): string {
    const encoded = this.raw(this.u16());
    try {
      return TEXT_DECODER.decode(encoded);
    } catch {
      throw new DecodeError(`string at ${this.at - encoded.length} is not valid UTF-8`);
    }
  }

  /** Fails unless every byte was consumed: trailing bytes mean a format we do not know. */
  expectEnd(): void {
    if (this.at !== this.end) throw new DecodeError(`${this.end - this.at} unexpected trailing bytes at offset ${this.at}`);
  }

  private need(count: number): void {
    if (count < 0 || this.at + count > this.end) {
      throw new DecodeError(`needs ${count} bytes at offset ${this.at} but only ${this.end - this.at} remain`);
    }
  }
}
