// The recovery rules, on bytes built by hand: a frame cut short at the very end of the last
// segment is a torn write (cut off, start); every other bad frame, a gap, a contradiction between
// snapshot, log and metadata is corruption (refuse to start, saying exactly why).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from './bytes';
import { encodeHardState, encodeSnapshotImage, writeAppendBody, writeCommitBody } from './codec';
import type { AppendBody, CommitBody, HardState } from './codec';
import { encodeFrame, RECORD_TYPES, scanFrames, SEGMENT_MAGIC, writeFrame } from './frame';
import { parseSnapshotName, segmentPath, snapshotPath } from './layout';
import { assembleRecovery, parseMeta, parseSegment, parseSnapshot } from './recovery';
import type { RecoveryInput, RecoveryResult, SegmentParse } from './recovery';
import { CONFIG_3, entries } from './testing/fixtures';

/** A segment of append records and commit records (a body with a commitIndex), LSNs from firstLsn. */
function segmentBytes(firstLsn: number, bodies: readonly (AppendBody | CommitBody)[]): Uint8Array {
  const out = new ByteWriter();
  writeFrame(out, RECORD_TYPES.segmentHeader, firstLsn, (w) => w.raw(SEGMENT_MAGIC));
  bodies.forEach((body, i) => {
    if ('commitIndex' in body) writeFrame(out, RECORD_TYPES.commit, firstLsn + i, (w) => writeCommitBody(w, body));
    else writeFrame(out, RECORD_TYPES.append, firstLsn + i, (w) => writeAppendBody(w, body));
  });
  return out.finish();
}

function commitOf(result: RecoveryResult): number {
  if (!result.ok) throw new Error(`recovery failed: ${result.reason}`);
  return result.state.commitIndex;
}

function segment(firstLsn: number, bytes: Uint8Array): SegmentParse {
  return parseSegment(segmentPath(firstLsn), firstLsn, bytes);
}

function input(segments: SegmentParse[], extra: Partial<RecoveryInput> = {}): RecoveryInput {
  return { rootNames: [], snapNames: [], meta: null, snapshot: null, segments, ...extra };
}

function metaOf(state: HardState): RecoveryInput['meta'] {
  return parseMeta(encodeFrame(RECORD_TYPES.hardState, 0, encodeHardState(state)));
}

function snapshotOf(lastIndex: number, lastTerm: number, logStartLsn = 1): RecoveryInput['snapshot'] {
  const name = parseSnapshotName(snapshotPath(lastIndex, lastTerm).slice('snap/'.length));
  if (name === null) throw new Error('bad name');
  const bytes = encodeFrame(RECORD_TYPES.snapshot, 0, encodeSnapshotImage({ meta: { lastIndex, lastTerm, config: CONFIG_3 }, logStartLsn, data: new Uint8Array([1, 2, 3]) }));
  return { path: snapshotPath(lastIndex, lastTerm), name, parsed: parseSnapshot(bytes, name) };
}

function indexes(result: RecoveryResult): number[] {
  if (!result.ok) throw new Error(`recovery failed: ${result.reason}`);
  return result.state.entries.map((e) => e.index);
}

const threeRecords: AppendBody[] = [
  { truncateFrom: null, entries: entries(1, 2, 1) },
  { truncateFrom: null, entries: entries(3, 4, 1) },
  { truncateFrom: null, entries: entries(5, 6, 1) },
];

describe('torn tail: a frame cut short at the end of the last segment', () => {
  it('is cut off at the last intact record and the node starts, wherever the tear falls in the last record', () => {
    const whole = segmentBytes(1, threeRecords);
    const frames = scanFrames(whole).frames;
    const lastStart = (frames[3] ?? { offset: 0 }).offset;
    fc.assert(
      fc.property(fc.integer({ min: lastStart, max: whole.length - 1 }), (cut) => {
        const result = assembleRecovery(input([segment(1, whole.subarray(0, cut))]));
        expect(indexes(result)).toEqual([1, 2, 3, 4]);
        if (!result.ok) return;
        expect(cut === lastStart ? [] : result.repairOps.slice(0, 1)).toEqual(cut === lastStart ? [] : [{ op: 'truncate', path: segmentPath(1), size: lastStart }]);
      }),
    );
  });

  it('an empty last segment (created, its first write lost) gets its header written and the node starts', () => {
    const result = assembleRecovery(input([segment(1, segmentBytes(1, threeRecords)), segment(4, new Uint8Array(0))]));
    expect(indexes(result)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.ok && result.repairOps.map((op) => op.op)).toEqual(['truncate', 'write', 'fsync', 'fsyncDir']);
  });

  it('a tear inside the segment header rewrites the header and starts with an empty segment', () => {
    const result = assembleRecovery(input([segment(1, segmentBytes(1, []).subarray(0, 7))]));
    expect(indexes(result)).toEqual([]);
    expect(result.ok && result.repairOps.map((op) => op.op)).toEqual(['truncate', 'write', 'fsync', 'fsyncDir']);
  });
});

describe('corruption fails closed', () => {
  it('a flipped bit in any record followed by an intact one names the segment and the offset', () => {
    const whole = segmentBytes(1, threeRecords);
    const frames = scanFrames(whole).frames;
    const lastStart = (frames[3] ?? { offset: 0 }).offset;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: lastStart - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const damaged = whole.slice();
        damaged[at] = (damaged[at] as number) ^ (1 << bit);
        const result = assembleRecovery(input([segment(1, damaged)]));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(/^wal\/0000000000000001\.seg: .*at offset \d+/);
      }),
    );
  });

  it('a complete last frame with a bad checksum is damage, not a torn write', () => {
    const damaged = segmentBytes(1, threeRecords);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 1;
    const result = assembleRecovery(input([segment(1, damaged)]));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('frame payload checksum mismatch') as unknown as string });
    expect(!result.ok && result.reason).toContain('not a torn write');
  });

  it('with the planted bug skipPayloadChecksum the same damaged frame is replayed as if intact', () => {
    const damaged = segmentBytes(1, threeRecords);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 1;
    const result = assembleRecovery(input([parseSegment(segmentPath(1), 1, damaged, false)]));
    expect(indexes(result)).toEqual([1, 2, 3, 4, 5, 6]);
    const intact = assembleRecovery(input([segment(1, segmentBytes(1, threeRecords))]));
    const last = (r: RecoveryResult): number[] => (r.ok ? [...(r.state.entries[5]?.data ?? [])] : []);
    expect(last(result)).not.toEqual(last(intact));
  });

  it('a torn frame in a segment that is not the last is corruption', () => {
    const first = segmentBytes(1, threeRecords);
    const second = segmentBytes(4, [{ truncateFrom: null, entries: entries(7, 7, 1) }]);
    const result = assembleRecovery(input([segment(1, first.subarray(0, first.length - 3)), segment(4, second)]));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/in a segment that is not the last$/);
  });

  it('a segment missing in the middle is an LSN gap', () => {
    const a = segmentBytes(1, threeRecords);
    const c = segmentBytes(5, [{ truncateFrom: null, entries: entries(8, 8, 1) }]);
    const result = assembleRecovery(input([segment(1, a), segment(5, c)]));
    expect(result).toEqual({
      ok: false,
      reason: `segment missing: ${segmentPath(1)} ends at LSN 3 but the next segment ${segmentPath(5)} starts at LSN 5`,
    });
  });

  it('a segment whose header disagrees with its name is corruption', () => {
    const result = assembleRecovery(input([segment(1, segmentBytes(7, threeRecords))]));
    expect(result.ok).toBe(false);
  });

  it('metadata whose commit index is past the log contradicts it', () => {
    const result = assembleRecovery(input([segment(1, segmentBytes(1, threeRecords))], { meta: metaOf({ term: 1, votedFor: null, commitIndex: 9 }) }));
    expect(result).toEqual({ ok: false, reason: 'meta says commit index 9 but the durable log ends at index 6' });
  });

  it('a snapshot whose term disagrees with the log entry at its index contradicts the log', () => {
    const result = assembleRecovery(input([segment(1, segmentBytes(1, threeRecords))], { snapshot: snapshotOf(4, 2) }));
    expect(result).toEqual({ ok: false, reason: 'snapshot at index 4 has term 2 but the log holds term 1 there' });
  });

  it('entries that do not continue right after the snapshot leave a gap', () => {
    const later = segmentBytes(3, [{ truncateFrom: null, entries: entries(9, 10, 1) }]);
    const result = assembleRecovery(input([segment(3, later)], { snapshot: snapshotOf(6, 1) }));
    expect(result).toEqual({ ok: false, reason: 'log gap: the snapshot at index 6 is followed by entry 9' });
  });

  it('a WAL commit record whose commit index is past the log contradicts it', () => {
    const result = assembleRecovery(input([segment(1, segmentBytes(1, [...threeRecords, { commitIndex: 8 }]))]));
    expect(result).toEqual({ ok: false, reason: 'WAL record 4 says commit index 8 but the durable log ends at index 6' });
  });

  it('a complete commit record that fails to decode is damage', () => {
    const bytes = segmentBytes(1, [...threeRecords, { commitIndex: 5 }]);
    const last = scanFrames(bytes).frames.at(-1);
    if (last === undefined) throw new Error('no frames');
    // A commit record with a format version this build does not read, its checksums made valid.
    const out = new ByteWriter();
    out.raw(bytes.subarray(0, last.offset));
    writeFrame(out, RECORD_TYPES.commit, 4, (w) => {
      w.u8(9);
      w.u64(5);
    });
    const result = assembleRecovery(input([segment(1, out.finish())]));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^wal\/0000000000000001\.seg: commit record: unknown format version 9 .* \(a complete frame, so not a torn write\)$/);
  });

  it('metadata with no WAL under it means the WAL was lost', () => {
    const result = assembleRecovery(input([], { meta: metaOf({ term: 3, votedFor: 'n1', commitIndex: 0 }) }));
    expect(result).toEqual({ ok: false, reason: 'no WAL segment in wal/ although meta exists' });
  });
});

describe('replay', () => {
  it('applies a logical truncation record: the conflicting suffix is replaced', () => {
    const bytes = segmentBytes(1, [...threeRecords, { truncateFrom: 4, entries: entries(4, 5, 2) }]);
    const result = assembleRecovery(input([segment(1, bytes)]));
    expect(result.ok && result.state.entries.map((e) => `${e.index}:${e.term}`)).toEqual(['1:1', '2:1', '3:1', '4:2', '5:2']);
  });

  it('skips the log a snapshot replaced (records before its log start)', () => {
    const bytes = segmentBytes(1, [...threeRecords, { truncateFrom: null, entries: entries(21, 22, 3) }]);
    const result = assembleRecovery(input([segment(1, bytes)], { snapshot: snapshotOf(20, 3, 4) }));
    expect(indexes(result)).toEqual([21, 22]);
  });

  it('takes the commit index of the last WAL commit record when it is newer than the metadata\'s', () => {
    const bytes = segmentBytes(1, [threeRecords[0] as AppendBody, { commitIndex: 1 }, threeRecords[1] as AppendBody, { commitIndex: 4 }]);
    expect(commitOf(assembleRecovery(input([segment(1, bytes)])))).toBe(4);
    expect(commitOf(assembleRecovery(input([segment(1, bytes)], { meta: metaOf({ term: 2, votedFor: 'n2', commitIndex: 2 }) })))).toBe(4);
    // The metadata's when it is the newer (a term change written after the last commit record).
    expect(commitOf(assembleRecovery(input([segment(1, bytes)], { meta: metaOf({ term: 2, votedFor: 'n2', commitIndex: 3 }) })))).toBe(4);
    const result = assembleRecovery(input([segment(1, segmentBytes(1, [...threeRecords, { commitIndex: 2 }]))], { meta: metaOf({ term: 2, votedFor: 'n2', commitIndex: 5 }) }));
    expect(commitOf(result)).toBe(5);
    expect(result.ok && result.state.term).toBe(2);
  });

  it('a torn commit record at the tail is cut off: the commit index is the one before it', () => {
    const whole = segmentBytes(1, [...threeRecords, { commitIndex: 3 }, { commitIndex: 6 }]);
    const last = scanFrames(whole).frames.at(-1);
    if (last === undefined) throw new Error('no frames');
    const result = assembleRecovery(input([segment(1, whole.subarray(0, last.end - 1))]));
    expect(commitOf(result)).toBe(3);
    expect(result.ok && result.notes.map((n) => n.event)).toContain('storage.tornTail');
  });

  it('ignores commit records of a log a snapshot replaced (before its log start)', () => {
    const bytes = segmentBytes(1, [...threeRecords, { commitIndex: 6 }, { truncateFrom: null, entries: entries(21, 22, 3) }]);
    expect(commitOf(assembleRecovery(input([segment(1, bytes)], { snapshot: snapshotOf(20, 3, 5) })))).toBe(0);
    expect(commitOf(assembleRecovery(input([segment(1, bytes)], { snapshot: snapshotOf(20, 3, 4) })))).toBe(6);
  });

  it('a fresh disk starts empty and creates the first segment', () => {
    const result = assembleRecovery(input([]));
    expect(result.ok && result.state).toEqual({ term: 0, votedFor: null, commitIndex: 0, snapshot: null, entries: [] });
    expect(result.ok && result.repairOps.map((op) => op.op)).toEqual(['create', 'write', 'fsync', 'fsyncDir']);
  });
});
