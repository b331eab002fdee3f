// The codecs round-trip every value the Raft core can hand them (fast-check), the CRC is the
// standard CRC-32C, and a decoder given damaged or foreign bytes answers with a reason, never
// an exception.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Configuration, LogEntry } from '../raft/types';
import {
  decodeAppendBody, decodeHardState, decodeSnapshotImage, encodeAppendBody, encodeHardState, encodeSnapshotImage, entryEncodedBytes,
} from './codec';
import { ByteWriter } from './bytes';
import { writeEntry } from './codec';
import { crc32c } from './crc32c';

const nodeId = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' });
const members = fc.array(nodeId, { maxLength: 6 });
const configuration: fc.Arbitrary<Configuration> = fc.record({
  voters: members,
  votersOld: fc.option(members, { nil: null }),
  learners: members,
});
const index = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const term = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const logEntry: fc.Arbitrary<LogEntry> = fc.oneof(
  fc.record({ index, term, kind: fc.constant('command' as const), data: fc.uint8Array({ maxLength: 64 }), config: fc.constant(null) }),
  fc.record({ index, term, kind: fc.constant('noop' as const), data: fc.constant(new Uint8Array(0)), config: fc.constant(null) }),
  fc.record({ index, term, kind: fc.constant('config' as const), data: fc.constant(new Uint8Array(0)), config: configuration }),
);

describe('CRC-32C', () => {
  it('matches the standard check value for "123456789" (0xE3069283)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('changes when any single bit of the input flips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 128 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, at, bit) => {
        const flipped = bytes.slice();
        const i = at % bytes.length;
        flipped[i] = (flipped[i] as number) ^ (1 << bit);
        expect(crc32c(flipped)).not.toBe(crc32c(bytes));
      }),
    );
  });
});

describe('codecs round-trip', () => {
  it('hard state: term, vote and commit index come back unchanged', () => {
    fc.assert(
      fc.property(term, fc.option(nodeId, { nil: null }), fc.nat(), (t, votedFor, commitIndex) => {
        const state = { term: t, votedFor, commitIndex };
        expect(decodeHardState(encodeHardState(state))).toEqual({ ok: true, value: state });
      }),
    );
  });

  it('append records: truncation point and entries (commands, no-ops, joint and simple configurations) come back unchanged', () => {
    fc.assert(
      fc.property(fc.option(index, { nil: null }), fc.array(logEntry, { maxLength: 8 }), (truncateFrom, list) => {
        const body = { truncateFrom, entries: list };
        expect(decodeAppendBody(encodeAppendBody(body))).toEqual({ ok: true, value: body });
      }),
    );
  });

  it('entryEncodedBytes is exactly what writeEntry writes (record packing depends on it)', () => {
    fc.assert(
      fc.property(logEntry, (e) => {
        const out = new ByteWriter(8);
        writeEntry(out, e);
        expect(out.sizeBytes).toBe(entryEncodedBytes(e));
      }),
    );
  });

  it('snapshot images: metadata, log start and data come back unchanged', () => {
    fc.assert(
      fc.property(fc.nat(), term, configuration, index, fc.uint8Array({ maxLength: 256 }), (lastIndex, lastTerm, config, logStartLsn, data) => {
        const image = { meta: { lastIndex, lastTerm, config }, logStartLsn, data };
        expect(decodeSnapshotImage(encodeSnapshotImage(image))).toEqual({ ok: true, value: image });
      }),
    );
  });
});

describe('decoders never throw on bad bytes', () => {
  it('any truncation of an encoded body is refused with a reason', () => {
    fc.assert(
      fc.property(fc.array(logEntry, { minLength: 1, maxLength: 4 }), fc.nat(), (list, cut) => {
        const bytes = encodeAppendBody({ truncateFrom: null, entries: list });
        const short = bytes.subarray(0, cut % bytes.length);
        const decoded = decodeAppendBody(short);
        expect(decoded.ok).toBe(false);
      }),
    );
  });

  it('arbitrary bytes decode to a value or a reason, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        for (const decode of [decodeHardState, decodeSnapshotImage, decodeAppendBody]) {
          const result = decode(bytes);
          expect(typeof result.ok).toBe('boolean');
        }
      }),
    );
  });

  it('an unknown format version is named in the reason', () => {
    const bytes = encodeHardState({ term: 1, votedFor: null, commitIndex: 0 });
    bytes[0] = 9;
    expect(decodeHardState(bytes)).toEqual({ ok: false, reason: 'hard state: unknown format version 9 (this build reads 1)' });
  });
});
