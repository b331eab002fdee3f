// The on-disk frame every record is wrapped in, and the scanner that reads frames back out of
// untrusted bytes. A frame is a 21-byte header followed by its payload:
//
//   offset 0  u32  payload length in bytes
//   offset 4  u8   record type (RECORD_TYPES; a type is a format, so a new format is a new type)
//   offset 5  u64  sequence number (WAL: the record's LSN; other files: 0)
//   offset 13 u32  CRC-32C of the payload
//   offset 17 u32  CRC-32C of bytes 0..17 of this header
//
// The header has its own checksum so a damaged length is never trusted: a frame whose header
// checks out but whose payload runs past the end of the file was cut short (a torn write), while
// a complete frame that fails a checksum was damaged in place. Recovery treats the two
// differently (see recovery.ts). Must never trust a length before its header checksum passes,
// and never read outside the bytes given.

import { assert } from '../util/assert';
import { ByteWriter } from './bytes';
import { crc32c } from './crc32c';

export const FRAME_HEADER_BYTES = 21;
/** A payload longer than this is damage (snapshots are the largest frames). */
export const FRAME_PAYLOAD_BYTES_MAX = 1 << 30;

export const RECORD_TYPES = {
  /** First frame of a WAL segment: payload is SEGMENT_MAGIC; its LSN is the segment's first record LSN. */
  segmentHeader: 1,
  /** A WAL record: optional truncation then entries (codec.ts AppendBody). */
  append: 2,
  /** The metadata file's only frame: the hard state. */
  hardState: 3,
  /** A snapshot file's only frame: the image and its metadata. */
  snapshot: 4,
  /** The identity file's only frame: the node's Raft id, UTF-8. */
  identity: 5,
  /**
   * A WAL record: the commit index (codec.ts CommitBody), written with the round's entries when
   * only the commit index changed, so that it costs no metadata rename (storage.ts).
   */
  commit: 6,
} as const;

export type RecordType = (typeof RECORD_TYPES)[keyof typeof RECORD_TYPES];

export const SEGMENT_MAGIC = new Uint8Array([0x4c, 0x4f, 0x4f, 0x4d, 0x57, 0x41, 0x4c, 0x31]); // "LOOMWAL1"

/** A frame found intact: where its payload lies in the scanned bytes. */
export interface Frame {
  readonly type: number;
  readonly lsn: number;
  readonly offset: number;
  readonly payloadStart: number;
  readonly end: number;
}

export type ScanStop =
  /** Every byte belonged to an intact frame. */
  | { readonly kind: 'end' }
  /** The frame at offset is cut short by the end of the bytes: what a torn or lost write leaves. */
  | { readonly kind: 'incomplete'; readonly offset: number; readonly detail: string }
  /** The frame at offset is complete but fails a check: damage in place, never a torn write. */
  | { readonly kind: 'damaged'; readonly offset: number; readonly detail: string };

export interface Scan {
  readonly frames: Frame[];
  readonly stop: ScanStop;
}

// ---------------------------------------------------------------------------------------------

/**
 * Appends one frame to `out`: the header, then whatever `writePayload` writes, then the length
 * and checksums are filled in. Returns the frame's size in bytes.
 */
export function writeFrame(out: ByteWriter, type: RecordType, lsn: number, writePayload: (out: ByteWriter) => void): number {
  const start = out.sizeBytes;
  out.u32(0);
  out.u8(type);
  out.u64(lsn);
  out.u32(0);
  out.u32(0);
  writePayload(out);
  const end = out.sizeBytes;
  const payloadBytes = end - start - FRAME_HEADER_BYTES;
  assert(payloadBytes <= FRAME_PAYLOAD_BYTES_MAX, `frame payload of ${payloadBytes} bytes exceeds the maximum`);
  const bytes = out.written(); // the buffer itself: a subarray view per frame cost more than the checksums
  out.patchU32(start, payloadBytes);
  out.patchU32(start + 13, crc32c(bytes, start + FRAME_HEADER_BYTES, end));
  out.patchU32(start + 17, crc32c(bytes, start, start + 17));
  return end - start;
}

/** One frame as its own buffer (metadata and snapshot files). */
export function encodeFrame(type: RecordType, lsn: number, payload: Uint8Array): Uint8Array {
  const out = new ByteWriter(payload.length + FRAME_HEADER_BYTES);
  writeFrame(out, type, lsn, (w) => w.raw(payload));
  return out.finish();
}

/** Reads frames from `start` until the bytes end or a frame fails; frames holds every intact one before that. */
export function scanFrames(bytes: Uint8Array, start = 0, framesMax = Number.MAX_SAFE_INTEGER, verifyPayload = true): Scan {
  const frames: Frame[] = [];
  let at = start;
  // Bound: each iteration consumes at least FRAME_HEADER_BYTES, or stops.
  while (at < bytes.length) {
    if (frames.length >= framesMax) return { frames, stop: { kind: 'damaged', offset: at, detail: `more than ${framesMax} frames` } };
    const checked = checkFrameAt(bytes, at, verifyPayload);
    if (!checked.ok) return { frames, stop: checked.stop };
    frames.push(checked.frame);
    at = checked.frame.end;
  }
  return { frames, stop: { kind: 'end' } };
}

/**
 * The first offset after `from` where an intact frame with a sequence number >= lsnMin starts,
 * or -1. Used to tell a torn tail (nothing valid after the bad spot) from damage in the middle.
 */
export function findIntactFrameAfter(bytes: Uint8Array, from: number, lsnMin: number): number {
  // Bound: one header check per byte position.
  for (let at = from + 1; at + FRAME_HEADER_BYTES <= bytes.length; at++) {
    const checked = checkFrameAt(bytes, at);
    if (checked.ok && checked.frame.lsn >= lsnMin) return at;
  }
  return -1;
}

type FrameCheck = { ok: true; frame: Frame } | { ok: false; stop: ScanStop };

function checkFrameAt(bytes: Uint8Array, at: number, verifyPayload = true): FrameCheck {
  const remaining = bytes.length - at;
  if (remaining < FRAME_HEADER_BYTES) {
    return { ok: false, stop: { kind: 'incomplete', offset: at, detail: `only ${remaining} bytes of a ${FRAME_HEADER_BYTES}-byte frame header` } };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, FRAME_HEADER_BYTES);
  const headerCrc = view.getUint32(17, true);
  if (crc32c(bytes, at, at + 17) !== headerCrc) {
    return { ok: false, stop: { kind: 'damaged', offset: at, detail: 'frame header checksum mismatch' } };
  }
  const payloadBytes = view.getUint32(0, true);
  if (payloadBytes > FRAME_PAYLOAD_BYTES_MAX) {
    return { ok: false, stop: { kind: 'damaged', offset: at, detail: `frame payload length ${payloadBytes} exceeds the maximum` } };
  }
  const type = view.getUint8(4);
  const lsn = view.getUint32(5, true) + view.getUint32(9, true) * 0x1_0000_0000;
  const payloadStart = at + FRAME_HEADER_BYTES;
  const end = payloadStart + payloadBytes;
  if (end > bytes.length) {
    return { ok: false, stop: { kind: 'incomplete', offset: at, detail: `frame of ${payloadBytes} payload bytes runs ${end - bytes.length} bytes past the end` } };
  }
  if (verifyPayload && crc32c(bytes, payloadStart, end) !== view.getUint32(13, true)) {
    return { ok: false, stop: { kind: 'damaged', offset: at, detail: 'frame payload checksum mismatch' } };
  }
  return { ok: true, frame: { type, lsn, offset: at, payloadStart, end } };
}
