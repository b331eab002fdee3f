// RaftStorage: the node's durable state (WAL, metadata, snapshots) as a deterministic state
// machine. It never performs I/O: every call returns the DiskOps for the host to run, in order,
// and takes their completions through diskDone. It owns every disk operation of the node and
// allocates their opIds. The file layout is described in layout.ts, the frame in frame.ts, the
// recovery rules in recovery.ts.
//
// The host's side of the contract: it applies the ops it is given in the order given (as one
// disk queue would); completions may come back in any order.
//
// Durability discipline (why each step is where it is):
//   - Requests are served in rounds, one at a time. A round is either a group commit (every
//     queued appendLog and persistState up to a bound) or one saveSnapshot. Requests that arrive
//     while a round's fsync is in flight wait, and are then written and covered by the next
//     round's single fsync. Writing them at once instead would put two unsynced writes in one
//     segment: a crash may keep the second and lose the first (a hole no torn write explains),
//     and an fsync EIO drops the first while the second stays in the page cache.
//   - A round writes its WAL records with one write and one fsync. Of a round's hard state only
//     the newest of its persistState requests matters. When its term and vote are those the
//     metadata already holds, only the commit index moved (the common case: every commit advance
//     of every node), and it goes into the WAL as a commit record after the round's entries,
//     covered by the same fsync, so it can never be durable without the log it points into.
//     Otherwise it goes to meta.tmp in parallel, and is renamed over meta, and the root directory
//     fsync'd, only after the WAL fsync succeeded, so a durable commit index never points past
//     the durable log. Recovery takes the newer commit index of the two places.
//   - Completions are reported in request order, and only once everything they depend on is
//     durable. A snapshot is durable (renamed and its directory fsync'd) before the WAL below
//     it is trimmed, and segments are deleted oldest first, one at a time, so a failed delete
//     can never leave a gap in the WAL.
//   - Any failed write or fsync fails its round and every later request, and storage refuses all
//     further work: the node halts ('restart') and recovers from what is durable. It never
//     retries an fsync over the same dirty data (Linux has already dropped it).
// Must never acknowledge anything not durable, never write after a failure, and never do I/O.

import type { DiskOp, DiskResult } from '../host/contract';
import type { DurableState, LogEntry, RaftEffect } from '../raft/types';
import { assert, unreachable } from '../util/assert';
import { ByteWriter } from './bytes';
import { APPEND_BODY_HEADER_BYTES, COMMIT_BODY_BYTES, encodeHardState, encodeSnapshotImage, entryEncodedBytes, writeAppendBody, writeCommitBody } from './codec';
import { QUEUED_REQUESTS_MAX, ROUND_REQUESTS_MAX, storageConfigProblems } from './config';
import type { StorageConfig } from './config';
import { encodeFrame, FRAME_HEADER_BYTES, RECORD_TYPES, scanFrames, SEGMENT_MAGIC, writeFrame } from './frame';
import {
  IDENTITY_PATH, IDENTITY_TMP_PATH, META_PATH, META_TMP_PATH, ROOT_DIR, segmentPath, SNAP_DIR, snapshotPath, snapshotTmpPath, WAL_DIR,
} from './layout';
import {
  assembleRecovery, newestSnapshotName, parseMeta, parseSegment, parseSnapshot, segmentNames, trimmableSegments,
} from './recovery';
import type { RecoveryResult, SegmentParse, SegmentState, SnapshotFile } from './recovery';

export type PersistEffect = Extract<RaftEffect, { kind: 'persistState' | 'appendLog' | 'saveSnapshot' }>;

export type NoteFields = Record<string, string | number | boolean | null>;

export interface StorageOutput {
  /** Issue these, in order. */
  disk: { opId: number; op: DiskOp }[];
  /** syncIds now durable, in issue order. */
  persisted: number[];
  /** syncIds that can never become durable (then: halt with mode 'restart'). */
  failed: { syncId: number; reason: string }[];
  /** Recovery finished: start the Raft core with this. */
  recovered: DurableState | null;
  /** With `recovered`: the Raft id the identity file holds, or null when the disk has none. */
  identity: string | null;
  /** The identity asked for by writeIdentity is durable. */
  identityWritten: string | null;
  /** Recovery found corruption: the precise reason. Halt with mode 'fail-closed'. */
  failClosed: string | null;
  /**
   * Recovery could not finish for a reason other than corruption (a read, repair write or fsync
   * failed): halt with mode 'restart' and try again from the disk.
   */
  restart: string | null;
  /** For the trace. */
  notes: { event: string; fields: NoteFields }[];
}

export type StoragePhase = 'new' | 'recovering' | 'running' | 'broken' | 'failed-closed';

/** A read-only view for tests and the trace. */
export interface StorageView {
  readonly phase: StoragePhase;
  readonly segments: readonly { readonly path: string; readonly firstLsn: number; readonly lastLsn: number; readonly sizeBytes: number }[];
  readonly nextLsn: number;
  readonly logStartLsn: number;
  readonly snapshotPath: string | null;
  readonly queuedRequests: number;
  readonly opsInFlight: number;
}

export class RaftStorage {
  private phase: StoragePhase = 'new';
  private nextOpId = 1;
  private readonly inFlight = new Map<number, (result: DiskResult) => void>();
  private out: StorageOutput = emptyOutput();

  // The WAL and snapshot as they are on disk once the round in flight completes.
  private segments: SegmentState[] = [];
  private nextLsn = 1;
  private logStartLsn = 1;
  private snapshot: { path: string; lastIndex: number } | null = null;
  /** The term and vote in the metadata once the round in flight completes (recovered, then as written). */
  private metaTerm = 0;
  private metaVotedFor: string | null = null;
  /** The newest commit index written, to the metadata or the WAL (durable once the round in flight completes). */
  private writtenCommitIndex = 0;

  private readonly queue: PersistEffect[] = [];
  /** Where a round's WAL records are encoded before the exact copy the write takes (one buffer for every round). */
  private readonly recordWriter = new ByteWriter(64 * 1024);
  /** The round in flight: its requests, and a token so late completions of a failed round are ignored. */
  private round: { requests: PersistEffect[]; token: number } | null = null;
  private roundToken = 0;
  private lastSyncId = 0;
  private lastAckedSyncId = 0;
  private brokenReason: string | null = null;
  /** The identity recovered or being written, null when the disk holds none. */
  private identity: string | null = null;
  /** A temporary identity file left by a crash mid-write: deleted before the next write. */
  private identityTmpLeft = false;

  constructor(private readonly config: StorageConfig) {
    const problems = storageConfigProblems(config);
    assert(problems.length === 0, `RaftStorage given an invalid config: ${problems.join('; ')}`);
  }

  /** Begins recovery: list the directories, read meta, the newest snapshot and every segment. */
  start(): StorageOutput {
    return this.call(() => {
      assert(this.phase === 'new', 'storage: start is called once');
      this.phase = 'recovering';
      this.recoverListing();
    });
  }

  /**
   * Writes the node's identity (its Raft id) durably: to a temporary file, fsync'd, renamed over
   * `identity`, the directory fsync'd; reported by `identityWritten`. Called once, after recovery
   * found none and before the Raft core writes anything. A failure asks for a restart.
   */
  writeIdentity(raftId: string): StorageOutput {
    return this.call(() => {
      assert(this.phase === 'running' && this.identity === null, 'storage: an identity is written once, after recovery found none');
      assert(raftId.length > 0 && raftId.length <= IDENTITY_BYTES_MAX, 'storage: identity length');
      this.identity = raftId;
      const frame = encodeFrame(RECORD_TYPES.identity, 0, new TextEncoder().encode(raftId));
      const ops: DiskOp[] = [
        ...(this.identityTmpLeft ? [{ op: 'delete', path: IDENTITY_TMP_PATH } as const] : []),
        { op: 'create', path: IDENTITY_TMP_PATH },
        { op: 'write', path: IDENTITY_TMP_PATH, offset: 0, data: frame },
        { op: 'fsync', path: IDENTITY_TMP_PATH },
        { op: 'rename', from: IDENTITY_TMP_PATH, to: IDENTITY_PATH },
        { op: 'fsyncDir', dir: ROOT_DIR },
      ];
      this.sequence(ops, (error) => {
        if (error !== null) this.out.restart = `writing the identity: ${error}`;
        else this.out.identityWritten = raftId;
      });
    });
  }

  persist(effect: PersistEffect): StorageOutput {
    return this.call(() => {
      assert(this.phase === 'running' || this.phase === 'broken', `storage: persist while ${this.phase}`);
      assert(effect.syncId > this.lastSyncId, `storage: syncIds increase (got ${effect.syncId} after ${this.lastSyncId})`);
      this.lastSyncId = effect.syncId;
      if (this.phase === 'broken') {
        this.addFailed({ syncId: effect.syncId, reason: this.brokenReason ?? 'storage failed' });
        return;
      }
      assert(this.queue.length < QUEUED_REQUESTS_MAX, 'storage: too many queued persist requests');
      this.queue.push(effect);
      if (this.round === null) this.startRound();
    });
  }

  diskDone(opId: number, result: DiskResult): StorageOutput {
    return this.call(() => {
      const handler = this.inFlight.get(opId);
      assert(handler !== undefined, `storage: completion of unknown op ${opId}`);
      this.inFlight.delete(opId);
      handler(result);
    });
  }

  inspect(): StorageView {
    return {
      phase: this.phase,
      segments: this.segments.map((s) => ({ path: s.path, firstLsn: s.firstLsn, lastLsn: s.lastLsn, sizeBytes: s.sizeBytes })),
      nextLsn: this.nextLsn,
      logStartLsn: this.logStartLsn,
      snapshotPath: this.snapshot?.path ?? null,
      queuedRequests: this.queue.length,
      opsInFlight: this.inFlight.size,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Recovery

  private recoverListing(): void {
    const names: { root: readonly string[]; snap: readonly string[]; wal: readonly string[] } = { root: [], snap: [], wal: [] };
    this.group(
      [{ op: 'list', dir: ROOT_DIR }, { op: 'list', dir: SNAP_DIR }, { op: 'list', dir: WAL_DIR }],
      (error) => (error === null ? this.recoverReading(names.root, names.snap, names.wal) : this.recoveryFailed(error)),
      [(r) => (names.root = r.names ?? []), (r) => (names.snap = r.names ?? []), (r) => (names.wal = r.names ?? [])],
    );
  }

  private recoverReading(rootNames: readonly string[], snapNames: readonly string[], walNames: readonly string[]): void {
    let meta: RecoveryInput['meta'] = null;
    let snapshot: SnapshotFile | null = null;
    const segNames = segmentNames(walNames);
    const segments: (SegmentParse | null)[] = segNames.map(() => null);
    const reads: { path: string; parse: (bytes: Uint8Array) => boolean }[] = [];
    if (rootNames.includes(META_PATH)) {
      reads.push({ path: META_PATH, parse: (bytes) => (meta = parseMeta(bytes)).ok });
    }
    let identity: { ok: true; value: string } | { ok: false; reason: string } | null = null;
    this.identityTmpLeft = rootNames.includes(IDENTITY_TMP_PATH);
    if (rootNames.includes(IDENTITY_PATH)) {
      reads.push({ path: IDENTITY_PATH, parse: (bytes) => (identity = parseIdentity(bytes)).ok });
    }
    const newest = newestSnapshotName(snapNames);
    if (newest !== null) {
      reads.push({
        path: newest.path,
        parse: (bytes) => (snapshot = { path: newest.path, name: newest.name, parsed: parseSnapshot(bytes, newest.name) }).parsed.ok,
      });
    }
    segNames.forEach((seg, i) => {
      reads.push({ path: seg.path, parse: (bytes) => (segments[i] = parseSegment(seg.path, seg.firstLsn, bytes, this.config.skipPayloadChecksum !== true)).problem === null });
    });
    let pending = reads.length;
    let failure: string | null = null;
    const finish = (): void => {
      if (failure !== null) return this.recoveryFailed(failure);
      const id = identity as { ok: true; value: string } | { ok: false; reason: string } | null;
      if (id !== null && !id.ok) {
        // Who this node is cannot be known: it must not act as anyone.
        this.phase = 'failed-closed';
        this.out.failClosed = `identity: ${id.reason}`;
        this.note('storage.failClosed', { reason: this.out.failClosed });
        return;
      }
      this.identity = id === null ? null : id.value;
      const parsed = segments.map((s) => {
        assert(s !== null, 'recovery: every segment was read');
        return s;
      });
      this.recoverAssemble(assembleRecovery({ rootNames, snapNames, meta, snapshot, segments: parsed }));
    };
    if (pending === 0) return finish();
    for (const read of reads) {
      // A file that fails its checks is read once more: a bit flip on read is transient, damage is not.
      const attempt = (tries: number): void => {
        this.issue({ op: 'readAll', path: read.path }, (result) => {
          if (!result.ok || result.data === undefined) {
            failure ??= `reading ${read.path}: ${result.ok ? 'no data' : `${result.code} ${result.detail}`}`;
          } else if (!read.parse(result.data) && tries === 1) {
            this.note('storage.reread', { path: read.path });
            return attempt(2);
          }
          pending -= 1;
          if (pending === 0) finish();
        });
      };
      attempt(1);
    }
  }

  private recoverAssemble(result: RecoveryResult): void {
    if (!result.ok) {
      this.phase = 'failed-closed';
      this.out.failClosed = result.reason;
      this.note('storage.failClosed', { reason: result.reason });
      return;
    }
    for (const note of result.notes) this.note(note.event, note.fields);
    // One at a time, stopping at the first failure: repairs include deleting the oldest segments,
    // and a delete that failed while a later one succeeded would leave a gap in the WAL.
    this.sequence(
      result.repairOps,
      (error) => {
        if (error !== null) return this.recoveryFailed(`repairing: ${error}`);
        assert(result.segments.length > 0, 'storage: a recovered WAL has a segment to append to');
        assert(result.nextLsn === (result.segments[result.segments.length - 1] as SegmentState).lastLsn + 1, 'storage: the next LSN follows the tail');
        this.segments = result.segments;
        this.metaTerm = result.state.term;
        this.metaVotedFor = result.state.votedFor;
        this.writtenCommitIndex = result.state.commitIndex;
        this.nextLsn = result.nextLsn;
        this.logStartLsn = result.logStartLsn;
        this.snapshot = result.snapshot;
        this.phase = 'running';
        this.out.recovered = result.state;
        this.out.identity = this.identity;
      },
    );
  }

  private recoveryFailed(reason: string): void {
    this.phase = 'broken';
    this.brokenReason = reason;
    this.out.restart = reason;
    this.note('storage.recoveryFailed', { reason });
  }

  // -------------------------------------------------------------------------------------------
  // Rounds

  private startRound(): void {
    assert(this.round === null, 'storage: one round at a time');
    if (this.phase !== 'running' || this.queue.length === 0) return;
    const head = this.queue[0] as PersistEffect;
    this.roundToken += 1;
    if (head.kind === 'saveSnapshot') {
      this.queue.shift();
      this.round = { requests: [head], token: this.roundToken };
      this.snapshotRound(head, this.roundToken);
      return;
    }
    let taken = 0;
    let entries = 0;
    // Bound: at most ROUND_REQUESTS_MAX iterations.
    while (taken < ROUND_REQUESTS_MAX) {
      const next = this.queue[taken];
      if (next === undefined || next.kind === 'saveSnapshot') break;
      const count = next.kind === 'appendLog' ? next.entries.length : 0;
      if (taken > 0 && entries + count > this.config.groupCommitEntriesMax) break;
      entries += count;
      taken += 1;
    }
    assert(taken > 0, 'storage: a round serves at least one request');
    const requests = this.queue.splice(0, taken);
    this.round = { requests, token: this.roundToken };
    this.groupCommitRound(requests, this.roundToken);
  }

  private groupCommitRound(requests: readonly PersistEffect[], token: number): void {
    let newestState: Extract<PersistEffect, { kind: 'persistState' }> | null = null;
    for (const r of requests) if (r.kind === 'persistState') newestState = r;
    // Where the hard state goes: nowhere when nothing in it is new (every earlier round is
    // durable), the WAL when only the commit index moved, else the metadata.
    let walCommitIndex: number | null = null;
    if (newestState !== null && newestState.term === this.metaTerm && newestState.votedFor === this.metaVotedFor) {
      if (newestState.commitIndex > this.writtenCommitIndex) walCommitIndex = newestState.commitIndex;
      newestState = null;
    }
    if (newestState !== null) {
      assert(newestState.term >= this.metaTerm, 'storage: the term never goes back');
      this.metaTerm = newestState.term;
      this.metaVotedFor = newestState.votedFor;
    }
    const commitThisRound = walCommitIndex ?? newestState?.commitIndex ?? 0;
    this.writtenCommitIndex = Math.max(this.writtenCommitIndex, commitThisRound);
    const walOps: DiskOp[] = [];
    const records = this.encodeRecords(requests, walCommitIndex);
    if (records !== null) {
      let seg = this.segments[this.segments.length - 1] as SegmentState;
      let data = records.bytes;
      const hasRecords = seg.lastLsn >= seg.firstLsn;
      if (hasRecords && seg.sizeBytes + data.length > this.config.segmentBytesMax) {
        const fresh: SegmentState = { path: segmentPath(records.firstLsn), firstLsn: records.firstLsn, lastLsn: records.firstLsn - 1, sizeBytes: 0, maxEntryIndex: 0 };
        const out = new ByteWriter(data.length + 64);
        writeFrame(out, RECORD_TYPES.segmentHeader, records.firstLsn, (w) => w.raw(SEGMENT_MAGIC));
        out.raw(data);
        data = out.finish();
        this.note('storage.rotate', { from: seg.path, to: fresh.path, fromBytes: seg.sizeBytes });
        this.segments.push(fresh);
        seg = fresh;
        walOps.push({ op: 'create', path: seg.path });
      }
      assert(seg.sizeBytes > 0 || walOps.length > 0, 'storage: records go after a segment header');
      walOps.push({ op: 'write', path: seg.path, offset: seg.sizeBytes, data }, { op: 'fsync', path: seg.path });
      if (seg.sizeBytes === 0) walOps.push({ op: 'fsyncDir', dir: WAL_DIR });
      assert(records.firstLsn === seg.lastLsn + 1, 'storage: records continue the tail segment');
      seg.sizeBytes += data.length;
      seg.lastLsn = records.lastLsn;
      seg.maxEntryIndex = Math.max(seg.maxEntryIndex, records.maxEntryIndex);
      this.nextLsn = records.lastLsn + 1;
    }
    // Stage A: the WAL's write and fsync, and the metadata's temporary file beside them.
    const stageA = walOps;
    if (newestState !== null) {
      const frame = encodeFrame(RECORD_TYPES.hardState, 0, encodeHardState(newestState));
      stageA.push({ op: 'create', path: META_TMP_PATH }, { op: 'write', path: META_TMP_PATH, offset: 0, data: frame }, { op: 'fsync', path: META_TMP_PATH });
    }
    this.group(stageA, (error) => {
      if (!this.roundIsLive(token)) return;
      if (error !== null) return this.fail(error);
      if (newestState === null) return this.finishRound(requests);
      const stageB: DiskOp[] = [{ op: 'rename', from: META_TMP_PATH, to: META_PATH }, { op: 'fsyncDir', dir: ROOT_DIR }];
      this.group(stageB, (errorB) => {
        if (!this.roundIsLive(token)) return;
        if (errorB !== null) return this.fail(errorB);
        this.finishRound(requests);
      });
    });
  }

  private snapshotRound(effect: Extract<PersistEffect, { kind: 'saveSnapshot' }>, token: number): void {
    const { lastIndex, lastTerm } = effect.meta;
    assert(this.snapshot === null || lastIndex > this.snapshot.lastIndex, 'storage: each saved snapshot is newer than the last');
    const logStartLsn = effect.retainLog ? this.logStartLsn : this.nextLsn;
    const payload = encodeSnapshotImage({ meta: effect.meta, logStartLsn, data: effect.data });
    const frame = encodeFrame(RECORD_TYPES.snapshot, 0, payload);
    const tmp = snapshotTmpPath(lastIndex, lastTerm);
    const path = snapshotPath(lastIndex, lastTerm);
    const stageA: DiskOp[] = [{ op: 'create', path: tmp }, { op: 'write', path: tmp, offset: 0, data: frame }, { op: 'fsync', path: tmp }];
    const stageB: DiskOp[] = [{ op: 'rename', from: tmp, to: path }, { op: 'fsyncDir', dir: SNAP_DIR }];
    this.group(stageA, (error) => {
      if (!this.roundIsLive(token)) return;
      if (error !== null) return this.fail(error);
      this.group(stageB, (errorB) => {
        if (!this.roundIsLive(token)) return;
        if (errorB !== null) return this.fail(errorB);
        // The snapshot is durable: acknowledge it, then trim what it replaced.
        const previous = this.snapshot;
        this.snapshot = { path, lastIndex };
        this.logStartLsn = logStartLsn;
        assert(effect.syncId > this.lastAckedSyncId, 'storage: acknowledgements go in request order');
        this.lastAckedSyncId = effect.syncId;
        this.addPersisted(effect.syncId);
        if (this.round !== null) this.round.requests = [];
        const trimmed = trimmableSegments(this.segments, lastIndex, logStartLsn);
        this.segments.splice(0, trimmed.length);
        const stageC: DiskOp[] = trimmed.map((seg): DiskOp => ({ op: 'delete', path: seg.path }));
        if (trimmed.length > 0) stageC.push({ op: 'fsyncDir', dir: WAL_DIR });
        if (previous !== null && previous.path !== path) stageC.push({ op: 'delete', path: previous.path }, { op: 'fsyncDir', dir: SNAP_DIR });
        this.note('storage.snapshotSaved', { path, lastIndex, retainLog: effect.retainLog, logStartLsn, trimmedSegments: trimmed.length });
        // Oldest first, one at a time: a failed delete must never leave a gap before a later segment.
        this.sequence(stageC, (errorC) => {
          if (!this.roundIsLive(token)) return;
          if (errorC !== null) return this.fail(errorC);
          this.finishRound([]);
        });
      });
    });
  }

  /**
   * Encodes the round's WAL records (truncation first, entries packed to the byte target, then
   * the commit index if given), or null if none.
   */
  private encodeRecords(requests: readonly PersistEffect[], commitIndex: number | null): { bytes: Uint8Array; firstLsn: number; lastLsn: number; maxEntryIndex: number } | null {
    // Sizes first (each entry's once), so the buffer is allocated once at its final size.
    const sizes: number[][] = [];
    let estimateBytes = 0;
    for (const r of requests) {
      if (r.kind !== 'appendLog') continue;
      const list = r.entries.map(entryEncodedBytes);
      sizes.push(list);
      for (const size of list) estimateBytes += size;
      // At worst every entry is its own record.
      estimateBytes += (FRAME_HEADER_BYTES + APPEND_BODY_HEADER_BYTES) * (1 + r.entries.length);
    }
    if (commitIndex !== null) estimateBytes += FRAME_HEADER_BYTES + COMMIT_BODY_BYTES;
    const out = this.recordWriter;
    out.reset();
    const firstLsn = this.nextLsn;
    let lsn = firstLsn;
    let maxEntryIndex = 0;
    let which = 0;
    for (const r of requests) {
      if (r.kind !== 'appendLog') continue;
      const entrySizes = sizes[which] as number[];
      which += 1;
      if (r.truncateFrom === null && r.entries.length === 0) continue;
      let truncateFrom = r.truncateFrom;
      let at = 0;
      // Bound: each record takes at least one entry, or is the lone truncation record.
      do {
        const start = at;
        let bytes = 0;
        while (at < r.entries.length && (at === start || bytes + (entrySizes[at] as number) <= this.config.recordBytesTarget)) {
          bytes += entrySizes[at] as number;
          at += 1;
        }
        const slice = start === 0 && at === r.entries.length ? r.entries : r.entries.slice(start, at);
        for (const e of slice) maxEntryIndex = Math.max(maxEntryIndex, e.index);
        writeFrame(out, RECORD_TYPES.append, lsn, (w) => writeAppendBody(w, { truncateFrom, entries: slice }));
        truncateFrom = null;
        lsn += 1;
      } while (at < r.entries.length);
    }
    if (commitIndex !== null) {
      writeFrame(out, RECORD_TYPES.commit, lsn, (w) => writeCommitBody(w, { commitIndex }));
      lsn += 1;
    }
    if (lsn === firstLsn) return null;
    return { bytes: out.finish(), firstLsn, lastLsn: lsn - 1, maxEntryIndex };
  }

  private finishRound(requests: readonly PersistEffect[]): void {
    for (const r of requests) {
      assert(r.syncId > this.lastAckedSyncId, 'storage: acknowledgements go in request order');
      this.lastAckedSyncId = r.syncId;
      this.addPersisted(r.syncId);
    }
    this.round = null;
    this.startRound();
  }

  private roundIsLive(token: number): boolean {
    return this.phase === 'running' && this.round !== null && this.round.token === token;
  }

  /** A write or fsync failed: fail the round's unacknowledged requests and every later one, for good. */
  private fail(reason: string): void {
    assert(this.phase === 'running', 'storage: only a running storage can break');
    this.phase = 'broken';
    this.brokenReason = reason;
    // A round's requests are acknowledged only when it finishes (a snapshot round drops its one
    // request from the list once acknowledged), so every request still listed is unacknowledged.
    const pending = [...(this.round?.requests ?? []), ...this.queue];
    this.round = null;
    this.queue.length = 0;
    for (const r of pending) this.addFailed({ syncId: r.syncId, reason });
    this.note('storage.failed', { reason, failedRequests: pending.length, firstSyncId: pending[0]?.syncId ?? null });
  }

  // -------------------------------------------------------------------------------------------
  // Plumbing

  private call(body: () => void): StorageOutput {
    this.out = emptyOutput();
    body();
    const out = this.out;
    // Between calls nothing may be added to an output: a frozen one makes a stray write throw
    // (instead of allocating a fresh output after every call only to drop it at the next).
    this.out = CLOSED_OUTPUT;
    return out;
  }

  private issue(op: DiskOp, done: (result: DiskResult) => void): void {
    const opId = this.nextOpId;
    this.nextOpId += 1;
    this.inFlight.set(opId, done);
    if (this.out.disk === NO_DISK_OPS) this.out.disk = [{ opId, op }];
    else this.out.disk.push({ opId, op });
  }

  /**
   * Issues ops together (the host applies them in order) and calls `then` once all completed,
   * with the first failure's description or null; `done[i]`, if given, gets op i's result when
   * it succeeded (most ops matter only through the group's error).
   */
  private group(ops: readonly DiskOp[], then: (error: string | null) => void, done: readonly ((result: Extract<DiskResult, { ok: true }>) => void)[] | null = null): void {
    assert(done === null || done.length === ops.length, 'storage: one completion per grouped op');
    if (ops.length === 0) return then(null);
    let pending = ops.length;
    let error: string | null = null;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as DiskOp;
      const onDone = done === null ? null : (done[i] as (result: Extract<DiskResult, { ok: true }>) => void);
      this.issue(op, (result) => {
        if (result.ok) onDone?.(result);
        else error ??= `${describeOp(op)}: ${result.code} ${result.detail}`;
        pending -= 1;
        if (pending === 0) then(error);
      });
    }
  }

  /** Issues ops one after another, each once the previous succeeded; `then` gets the first failure or null. */
  private sequence(ops: readonly DiskOp[], then: (error: string | null) => void, from = 0): void {
    const op = ops[from];
    if (op === undefined) return then(null);
    this.issue(op, (result) => {
      if (!result.ok) return then(`${describeOp(op)}: ${result.code} ${result.detail}`);
      this.sequence(ops, then, from + 1);
    });
  }

  private note(event: string, fields: NoteFields): void {
    if (this.out.notes === NO_NOTES) this.out.notes = [{ event, fields }];
    else this.out.notes.push({ event, fields });
  }

  private addPersisted(syncId: number): void {
    if (this.out.persisted === NO_SYNC_IDS) this.out.persisted = [syncId];
    else this.out.persisted.push(syncId);
  }

  private addFailed(failed: { syncId: number; reason: string }): void {
    if (this.out.failed === NO_FAILURES) this.out.failed = [failed];
    else this.out.failed.push(failed);
  }
}

type RecoveryInput = Parameters<typeof assembleRecovery>[0];

/** A Raft id longer than this in the identity file is damage. */
const IDENTITY_BYTES_MAX = 256;

function parseIdentity(bytes: Uint8Array): { ok: true; value: string } | { ok: false; reason: string } {
  const scan = scanFrames(bytes, 0, 2);
  if (scan.stop.kind !== 'end') return { ok: false, reason: `${scan.stop.detail} at offset ${scan.stop.offset}` };
  const frame = scan.frames[0];
  if (scan.frames.length !== 1 || frame === undefined) return { ok: false, reason: `holds ${scan.frames.length} frames, expected 1` };
  if (frame.type !== RECORD_TYPES.identity) return { ok: false, reason: `frame type ${frame.type} is not an identity` };
  const length = frame.end - frame.payloadStart;
  if (length === 0 || length > IDENTITY_BYTES_MAX) return { ok: false, reason: `an identity of ${length} bytes` };
  return { ok: true, value: new TextDecoder().decode(bytes.subarray(frame.payloadStart, frame.end)) };
}


// An output's lists start as these shared empty ones, frozen (a push onto one throws), and get a
// list of their own at their first item (storage.add*, note, issue): most calls (a completion of
// one of a round's operations) add nothing, and a disk completion is a third of a run's events.
const NO_DISK_OPS: StorageOutput['disk'] = Object.freeze([]) as unknown as StorageOutput['disk'];
const NO_SYNC_IDS: number[] = Object.freeze([]) as unknown as number[];
const NO_FAILURES: StorageOutput['failed'] = Object.freeze([]) as unknown as StorageOutput['failed'];
const NO_NOTES: StorageOutput['notes'] = Object.freeze([]) as unknown as StorageOutput['notes'];

/** The output between calls: frozen, so that nothing can be added to it. */
const CLOSED_OUTPUT: StorageOutput = Object.freeze(emptyOutput());

function emptyOutput(): StorageOutput {
  return { disk: NO_DISK_OPS, persisted: NO_SYNC_IDS, failed: NO_FAILURES, recovered: null, identity: null, identityWritten: null, failClosed: null, restart: null, notes: NO_NOTES };
}

function describeOp(op: DiskOp): string {
  switch (op.op) {
    case 'fsyncDir':
    case 'list':
      return `${op.op} ${op.dir === '' ? '/' : op.dir}`;
    case 'rename':
      return `rename ${op.from} -> ${op.to}`;
    case 'create':
    case 'write':
    case 'append':
    case 'read':
    case 'readAll':
    case 'truncate':
    case 'fsync':
    case 'delete':
    case 'stat':
      return `${op.op} ${op.path}`;
    default:
      return unreachable(op, 'disk op');
  }
}

