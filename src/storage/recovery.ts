// Recovery as pure functions over the bytes read from disk: parse each file (so the caller can
// re-read a file that looks damaged once, since a bit flip on read is transient), then assemble
// the durable state and the repairs needed before the node may start, or the precise reason it
// must not start. The rules:
//   - A frame cut short at the very end of the last WAL segment, with no intact record after it,
//     is a write torn by a crash: truncate it away and start.
//   - Anything else that fails a check is corruption and fails closed: a complete frame with a
//     bad checksum anywhere, a bad frame followed by an intact one, any bad frame in a segment
//     that is not the last, a segment missing in the middle (an LSN gap), a snapshot that fails
//     its checksum or disagrees with its name or the log, a log with a gap or decreasing terms,
//     a commit index (in the metadata or a WAL commit record) beyond the durable log, a WAL
//     missing under other state.
//   - The commit index is the newest of the metadata's and the last WAL commit record's: a round
//     in which only the commit index moved writes it into the WAL instead of renaming metadata.
// Must never do I/O, never trust a byte it has not checked, and never guess past a doubt.

import type { DiskOp } from '../host/contract';
import type { DurableState, LogEntry } from '../raft/types';
import { assert } from '../util/assert';
import { ByteWriter } from './bytes';
import { decodeAppendBody, decodeCommitBody, decodeHardState, decodeSnapshotImage } from './codec';
import type { AppendBody, Decoded, HardState, SnapshotImage } from './codec';
import { findIntactFrameAfter, RECORD_TYPES, scanFrames, SEGMENT_MAGIC, writeFrame } from './frame';
import {
  inDir, META_TMP_PATH, parseSegmentName, parseSnapshotName, ROOT_DIR, segmentPath, SNAP_DIR, snapshotPath, WAL_DIR,
} from './layout';
import type { SnapshotName } from './layout';

/** One WAL record: entries (with an optional truncation first), or a commit index. */
export type WalRecord =
  | { readonly kind: 'append'; readonly lsn: number; readonly body: AppendBody }
  | { readonly kind: 'commit'; readonly lsn: number; readonly commitIndex: number };

/** One WAL segment, parsed as far as its frames are intact. */
export interface SegmentParse {
  readonly path: string;
  readonly firstLsn: number;
  readonly sizeBytes: number;
  readonly headerOk: boolean;
  readonly records: readonly WalRecord[];
  /** firstLsn - 1 when the segment holds no record. */
  readonly lastLsn: number;
  /** Where the last intact frame ends: the size a torn tail is truncated to. */
  readonly validBytes: number;
  readonly maxEntryIndex: number;
  readonly problem: { readonly kind: 'incomplete' | 'damaged'; readonly offset: number; readonly detail: string } | null;
  /** Where an intact frame starts after the problem, or -1: tells a torn tail from damage in the middle. */
  readonly intactAfter: number;
}

export interface SnapshotFile {
  readonly path: string;
  readonly name: SnapshotName;
  readonly parsed: Decoded<SnapshotImage>;
}

export interface RecoveryInput {
  /** Names listed in the root directory, the snapshot directory and the WAL directory. */
  readonly rootNames: readonly string[];
  readonly snapNames: readonly string[];
  /** The metadata file parsed, or null when there is none. */
  readonly meta: Decoded<HardState> | null;
  /** The newest complete snapshot parsed, or null when there is none. */
  readonly snapshot: SnapshotFile | null;
  /** Every segment parsed, in LSN order. */
  readonly segments: readonly SegmentParse[];
}

/** What the running WAL needs to know about a segment. */
export interface SegmentState {
  readonly path: string;
  readonly firstLsn: number;
  lastLsn: number;
  sizeBytes: number;
  maxEntryIndex: number;
}

export type RecoveryResult =
  | {
      readonly ok: true;
      readonly state: DurableState;
      readonly segments: SegmentState[];
      readonly nextLsn: number;
      readonly logStartLsn: number;
      readonly snapshot: { readonly path: string; readonly lastIndex: number } | null;
      /** Disk operations to run, in order, before the node starts (each must succeed). */
      readonly repairOps: DiskOp[];
      readonly notes: { event: string; fields: Record<string, string | number | boolean | null> }[];
    }
  | { readonly ok: false; readonly reason: string };

// ---------------------------------------------------------------------------------------------
// Per-file parsing

export function parseMeta(bytes: Uint8Array): Decoded<HardState> {
  const scan = scanFrames(bytes, 0, 2);
  if (scan.stop.kind !== 'end') return { ok: false, reason: `${scan.stop.detail} at offset ${scan.stop.offset}` };
  const frame = scan.frames[0];
  if (scan.frames.length !== 1 || frame === undefined) return { ok: false, reason: `holds ${scan.frames.length} frames, expected 1` };
  if (frame.type !== RECORD_TYPES.hardState) return { ok: false, reason: `frame type ${frame.type} is not a hard state` };
  return decodeHardState(bytes.subarray(frame.payloadStart, frame.end));
}

export function parseSnapshot(bytes: Uint8Array, name: SnapshotName): Decoded<SnapshotImage> {
  const scan = scanFrames(bytes, 0, 2);
  if (scan.stop.kind !== 'end') return { ok: false, reason: `${scan.stop.detail} at offset ${scan.stop.offset}` };
  const frame = scan.frames[0];
  if (scan.frames.length !== 1 || frame === undefined) return { ok: false, reason: `holds ${scan.frames.length} frames, expected 1` };
  if (frame.type !== RECORD_TYPES.snapshot) return { ok: false, reason: `frame type ${frame.type} is not a snapshot` };
  const image = decodeSnapshotImage(bytes.subarray(frame.payloadStart, frame.end));
  if (!image.ok) return image;
  const meta = image.value.meta;
  if (meta.lastIndex !== name.lastIndex || meta.lastTerm !== name.lastTerm) {
    return { ok: false, reason: `holds index ${meta.lastIndex} term ${meta.lastTerm} but is named for index ${name.lastIndex} term ${name.lastTerm}` };
  }
  return image;
}

/** verifyPayload false is the planted bug StorageConfig.skipPayloadChecksum. */
export function parseSegment(path: string, firstLsn: number, bytes: Uint8Array, verifyPayload = true): SegmentParse {
  const scan = scanFrames(bytes, 0, Number.MAX_SAFE_INTEGER, verifyPayload);
  const records: WalRecord[] = [];
  let problem: SegmentParse['problem'] = scan.stop.kind === 'end' ? null : scan.stop;
  let headerOk = false;
  let lastLsn = firstLsn - 1;
  let validBytes = 0;
  let maxEntryIndex = 0;
  for (const frame of scan.frames) {
    const damaged = (detail: string): void => {
      problem = { kind: 'damaged', offset: frame.offset, detail };
    };
    if (!headerOk) {
      const magicOk = frame.end - frame.payloadStart === SEGMENT_MAGIC.length
        && SEGMENT_MAGIC.every((b, i) => bytes[frame.payloadStart + i] === b);
      if (frame.type !== RECORD_TYPES.segmentHeader || !magicOk) {
        damaged('the first frame is not a segment header');
        break;
      }
      if (frame.lsn !== firstLsn) {
        damaged(`the header says the segment starts at LSN ${frame.lsn} but it is named for LSN ${firstLsn}`);
        break;
      }
      headerOk = true;
      validBytes = frame.end;
      continue;
    }
    if (frame.type !== RECORD_TYPES.append && frame.type !== RECORD_TYPES.commit) {
      damaged(`record type ${frame.type} does not belong in a segment`);
      break;
    }
    if (frame.lsn !== lastLsn + 1) {
      damaged(`record LSN ${frame.lsn} where ${lastLsn + 1} was expected`);
      break;
    }
    if (frame.type === RECORD_TYPES.commit) {
      const commit = decodeCommitBody(bytes, frame.payloadStart, frame.end);
      if (!commit.ok) {
        damaged(commit.reason);
        break;
      }
      records.push({ kind: 'commit', lsn: frame.lsn, commitIndex: commit.value.commitIndex });
    } else {
      const body = decodeAppendBody(bytes, frame.payloadStart, frame.end);
      if (!body.ok) {
        damaged(body.reason);
        break;
      }
      for (const entry of body.value.entries) maxEntryIndex = Math.max(maxEntryIndex, entry.index);
      records.push({ kind: 'append', lsn: frame.lsn, body: body.value });
    }
    lastLsn = frame.lsn;
    validBytes = frame.end;
  }
  // An empty file has no bad frame but no header either: its creation was synced, its first write was not.
  if (!headerOk && problem === null) problem = { kind: 'incomplete', offset: 0, detail: 'the segment is empty (no header)' };
  const found = problem as SegmentParse['problem'];
  const intactAfter = found === null ? -1 : findIntactFrameAfter(bytes, found.offset, lastLsn + 1);
  return { path, firstLsn, sizeBytes: bytes.length, headerOk, records, lastLsn, validBytes, maxEntryIndex, problem: found, intactAfter };
}

/** The bytes of a fresh segment's header frame. */
export function segmentHeaderBytes(firstLsn: number): Uint8Array {
  const out = new ByteWriter(64);
  writeFrame(out, RECORD_TYPES.segmentHeader, firstLsn, (w) => w.raw(SEGMENT_MAGIC));
  return out.finish();
}

/** The newest complete snapshot among the listed names, or null. */
export function newestSnapshotName(snapNames: readonly string[]): { path: string; name: SnapshotName } | null {
  let best: { path: string; name: SnapshotName } | null = null;
  for (const raw of snapNames) {
    const name = parseSnapshotName(raw);
    if (name === null || !name.complete) continue;
    if (best === null || name.lastIndex > best.name.lastIndex) best = { path: inDir(SNAP_DIR, raw), name };
  }
  return best;
}

/** The segments among the listed WAL names, in LSN order. */
export function segmentNames(walNames: readonly string[]): { path: string; firstLsn: number }[] {
  const out: { path: string; firstLsn: number }[] = [];
  for (const name of walNames) {
    const firstLsn = parseSegmentName(name);
    if (firstLsn !== null) out.push({ path: inDir(WAL_DIR, name), firstLsn });
  }
  out.sort((a, b) => a.firstLsn - b.firstLsn);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Assembly

export function assembleRecovery(input: RecoveryInput): RecoveryResult {
  const notes: { event: string; fields: Record<string, string | number | boolean | null> }[] = [];
  const repairOps: DiskOp[] = [];
  const corrupt = (reason: string): RecoveryResult => ({ ok: false, reason });

  let hard: HardState = { term: 0, votedFor: null, commitIndex: 0 };
  if (input.meta !== null) {
    if (!input.meta.ok) return corrupt(`meta: ${input.meta.reason}`);
    hard = input.meta.value;
  }
  let image: SnapshotImage | null = null;
  if (input.snapshot !== null) {
    if (!input.snapshot.parsed.ok) return corrupt(`${input.snapshot.path}: ${input.snapshot.parsed.reason}`);
    image = input.snapshot.parsed.value;
  }
  const snapIndex = image?.meta.lastIndex ?? 0;
  const logStartLsn = image?.logStartLsn ?? 1;

  // Segments: every one but the last must be whole; LSNs must run on without a gap.
  const segs = input.segments;
  if (segs.length === 0 && (input.meta !== null || image !== null)) {
    return corrupt(`no WAL segment in ${WAL_DIR}/ although ${input.meta !== null ? 'meta' : 'a snapshot'} exists`);
  }
  const first = segs[0];
  if (first !== undefined && image === null && first.firstLsn !== 1) {
    return corrupt(`${first.path}: the WAL starts at LSN ${first.firstLsn} but no snapshot covers the records before it`);
  }
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as SegmentParse;
    const previous = segs[i - 1];
    if (previous !== undefined && seg.firstLsn !== previous.lastLsn + 1) {
      return corrupt(`segment missing: ${previous.path} ends at LSN ${previous.lastLsn} but the next segment ${seg.path} starts at LSN ${seg.firstLsn}`);
    }
    const p = seg.problem;
    if (p === null) continue;
    const last = i === segs.length - 1;
    if (!last) return corrupt(`${seg.path}: ${p.detail} at offset ${p.offset} in a segment that is not the last`);
    if (seg.intactAfter >= 0) {
      return corrupt(`${seg.path}: bad record at offset ${p.offset} (${p.detail}) followed by an intact record at offset ${seg.intactAfter}`);
    }
    if (p.kind === 'damaged') return corrupt(`${seg.path}: ${p.detail} at offset ${p.offset} (a complete frame, so not a torn write)`);
  }

  // Replay the records after the log start, then keep the entries after the snapshot.
  const replay = replayLog(segs, logStartLsn);
  if (!replay.ok) return corrupt(replay.reason);
  let log = replay.entries;
  const atSnap = log.find((e) => e.index === snapIndex);
  if (image !== null && atSnap !== undefined && atSnap.term !== image.meta.lastTerm) {
    return corrupt(`snapshot at index ${snapIndex} has term ${image.meta.lastTerm} but the log holds term ${atSnap.term} there`);
  }
  log = log.filter((e) => e.index > snapIndex);
  const firstEntry = log[0];
  if (firstEntry !== undefined && firstEntry.index !== snapIndex + 1) {
    return corrupt(`log gap: the ${image === null ? 'log' : `snapshot at index ${snapIndex}`} is followed by entry ${firstEntry.index}`);
  }
  const lastIndex = snapIndex + log.length;
  if (hard.commitIndex > lastIndex) {
    return corrupt(`meta says commit index ${hard.commitIndex} but the durable log ends at index ${lastIndex}`);
  }
  const walCommit = replay.commit;
  if (walCommit !== null && walCommit.commitIndex > lastIndex) {
    return corrupt(`WAL record ${walCommit.lsn} says commit index ${walCommit.commitIndex} but the durable log ends at index ${lastIndex}`);
  }
  const commitIndex = Math.max(hard.commitIndex, walCommit?.commitIndex ?? 0);

  // The running WAL: the segments as they will be after the repairs below.
  const segments: SegmentState[] = [];
  for (const seg of segs) {
    segments.push({ path: seg.path, firstLsn: seg.firstLsn, lastLsn: seg.lastLsn, sizeBytes: seg.sizeBytes, maxEntryIndex: seg.maxEntryIndex });
  }
  const tail = segs[segs.length - 1];
  const tailState = segments[segments.length - 1];
  if (tail !== undefined && tailState !== undefined && tail.problem !== null) {
    notes.push({ event: 'storage.tornTail', fields: { path: tail.path, offset: tail.problem.offset, droppedBytes: tail.sizeBytes - tail.validBytes, detail: tail.problem.detail } });
    if (tail.headerOk) {
      repairOps.push({ op: 'truncate', path: tail.path, size: tail.validBytes }, { op: 'fsync', path: tail.path });
      tailState.sizeBytes = tail.validBytes;
    } else {
      // Even the header was torn: write it again, as a fresh segment would have it.
      const header = segmentHeaderBytes(tail.firstLsn);
      repairOps.push(
        { op: 'truncate', path: tail.path, size: 0 },
        { op: 'write', path: tail.path, offset: 0, data: header },
        { op: 'fsync', path: tail.path },
        { op: 'fsyncDir', dir: WAL_DIR },
      );
      tailState.sizeBytes = header.length;
    }
  }
  if (segments.length === 0) {
    const header = segmentHeaderBytes(1);
    const path = segmentPath(1);
    repairOps.push({ op: 'create', path }, { op: 'write', path, offset: 0, data: header }, { op: 'fsync', path }, { op: 'fsyncDir', dir: WAL_DIR });
    segments.push({ path, firstLsn: 1, lastLsn: 0, sizeBytes: header.length, maxEntryIndex: 0 });
  }
  const nextLsn = (segments[segments.length - 1] as SegmentState).lastLsn + 1;
  if (logStartLsn > nextLsn) {
    return corrupt(`the snapshot says the log starts at LSN ${logStartLsn} but the WAL ends before LSN ${nextLsn}`);
  }

  // Leftovers of interrupted work: temporary files, replaced snapshots, segments below the snapshot.
  let rootChanged = false;
  if (input.rootNames.includes(META_TMP_PATH)) {
    repairOps.push({ op: 'delete', path: META_TMP_PATH });
    rootChanged = true;
  }
  let snapChanged = false;
  const keptSnapshot = input.snapshot?.path ?? null;
  for (const raw of input.snapNames) {
    const path = inDir(SNAP_DIR, raw);
    if (parseSnapshotName(raw) === null || path === keptSnapshot) continue;
    repairOps.push({ op: 'delete', path });
    snapChanged = true;
  }
  const trimmed = trimmableSegments(segments, snapIndex, logStartLsn);
  for (const seg of trimmed) repairOps.push({ op: 'delete', path: seg.path });
  segments.splice(0, trimmed.length);
  if (rootChanged) repairOps.push({ op: 'fsyncDir', dir: ROOT_DIR });
  if (snapChanged) repairOps.push({ op: 'fsyncDir', dir: SNAP_DIR });
  if (trimmed.length > 0) repairOps.push({ op: 'fsyncDir', dir: WAL_DIR });

  const state: DurableState = {
    term: hard.term,
    votedFor: hard.votedFor,
    commitIndex,
    snapshot: image === null ? null : { meta: image.meta, data: image.data },
    entries: log,
  };
  notes.push({
    event: 'storage.recovered',
    fields: {
      term: hard.term, votedFor: hard.votedFor, commitIndex, snapshotIndex: snapIndex,
      lastIndex, segments: segments.length, nextLsn, trimmedSegments: trimmed.length,
    },
  });
  const snapshot = image === null || input.snapshot === null ? null : { path: input.snapshot.path, lastIndex: snapIndex };
  return { ok: true, state, segments, nextLsn, logStartLsn, snapshot, repairOps, notes };
}

/**
 * The oldest segments (never the last) whose every record is dead: before the log start, or
 * holding only entries the snapshot covers. Only a prefix goes, so no gap can open in the middle.
 */
export function trimmableSegments(segments: readonly SegmentState[], snapIndex: number, logStartLsn: number): SegmentState[] {
  const out: SegmentState[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i] as SegmentState;
    if (seg.lastLsn < logStartLsn || seg.maxEntryIndex <= snapIndex) out.push(seg);
    else break;
  }
  return out;
}

type Replay =
  | { ok: true; entries: LogEntry[]; commit: { readonly lsn: number; readonly commitIndex: number } | null }
  | { ok: false; reason: string };

/**
 * Applies the append records with LSN >= logStartLsn in order (truncate, then append, checking
 * continuity) and finds the last commit record among them. Records below the log start belong to
 * a log a snapshot replaced: their commit indexes too.
 */
function replayLog(segs: readonly SegmentParse[], logStartLsn: number): Replay {
  const entries: LogEntry[] = [];
  let nextIndex: number | null = null;
  let commit: { lsn: number; commitIndex: number } | null = null;
  for (const seg of segs) {
    for (const record of seg.records) {
      if (record.lsn < logStartLsn) continue;
      if (record.kind === 'commit') {
        commit = { lsn: record.lsn, commitIndex: record.commitIndex };
        continue;
      }
      const { truncateFrom } = record.body;
      if (truncateFrom !== null) {
        if (nextIndex !== null && truncateFrom > nextIndex) {
          return { ok: false, reason: `${seg.path}: record ${record.lsn} truncates from index ${truncateFrom} beyond the log's end ${nextIndex - 1}` };
        }
        const firstIndex = entries[0]?.index ?? truncateFrom;
        entries.length = Math.max(0, Math.min(entries.length, truncateFrom - firstIndex));
        nextIndex = truncateFrom;
      }
      for (const entry of record.body.entries) {
        if (nextIndex !== null && entry.index !== nextIndex) {
          return { ok: false, reason: `${seg.path}: record ${record.lsn} appends index ${entry.index} where ${nextIndex} was expected` };
        }
        const previous = entries[entries.length - 1];
        if (previous !== undefined && entry.term < previous.term) {
          return { ok: false, reason: `${seg.path}: record ${record.lsn} appends index ${entry.index} with term ${entry.term} after term ${previous.term}` };
        }
        entries.push(entry);
        nextIndex = entry.index + 1;
      }
    }
  }
  assert(entries.every((e, i) => i === 0 || e.index === (entries[i - 1] as LogEntry).index + 1), 'replay: entries are contiguous');
  return { ok: true, entries, commit };
}
