// RaftStorage's durability discipline, watched op by op against an in-memory disk: group commit
// (one write and one fsync for everything that queued behind a round), coalesced hard state,
// nothing acknowledged before its fsync completes, metadata renamed only after the WAL it points
// into is durable, snapshots durable before the WAL is trimmed, rotation, and a failure failing
// its request and every later one for good.

import { describe, expect, it } from 'vitest';
import type { DiskOp, DiskResult } from '../host/contract';
import { DEFAULT_STORAGE_CONFIG, storageConfigProblems } from './config';
import type { StorageConfig } from './config';
import { META_PATH, META_TMP_PATH } from './layout';
import { RaftStorage } from './storage';
import type { PersistEffect, StorageOutput } from './storage';
import { appendLog, entries, persistState, saveSnapshot, startOn } from './testing/fixtures';
import { MemDisk } from './testing/mem-disk';

/** A host that runs ops at issue and lets the test choose when each completion is delivered. */
class ManualHost {
  readonly disk = new MemDisk();
  readonly storage: RaftStorage;
  readonly pending: { opId: number; op: DiskOp; result: DiskResult }[] = [];
  readonly persisted: number[] = [];
  readonly failed: number[] = [];

  constructor(config: Partial<StorageConfig> = {}) {
    this.storage = new RaftStorage({ ...DEFAULT_STORAGE_CONFIG, ...config });
    this.absorb(this.storage.start());
    this.settle();
    expect(this.storage.inspect().phase).toBe('running');
  }

  persist(effect: PersistEffect): void {
    this.absorb(this.storage.persist(effect));
  }

  /** Delivers the oldest pending completion whose op matches, returning the op. */
  deliver(match: (op: DiskOp) => boolean): DiskOp {
    const i = this.pending.findIndex((p) => match(p.op));
    expect(i, 'a matching op is pending').toBeGreaterThanOrEqual(0);
    const [p] = this.pending.splice(i, 1);
    if (p === undefined) throw new Error('unreachable');
    this.absorb(this.storage.diskDone(p.opId, p.result));
    return p.op;
  }

  /** Delivers everything, oldest first, until nothing is pending. */
  settle(): void {
    for (let i = 0; i < 10_000 && this.pending.length > 0; i++) this.deliver(() => true);
  }

  pendingOps(): string[] {
    return this.pending.map((p) => describe_(p.op));
  }

  private absorb(out: StorageOutput): void {
    for (const { opId, op } of out.disk) this.pending.push({ opId, op, result: this.disk.execute(op) });
    this.persisted.push(...out.persisted);
    this.failed.push(...out.failed.map((f) => f.syncId));
  }
}

function describe_(op: DiskOp): string {
  if (op.op === 'fsyncDir' || op.op === 'list') return `${op.op} ${op.dir}`;
  if (op.op === 'rename') return `rename ${op.from} ${op.to}`;
  return `${op.op} ${op.path}`;
}

const isWalFsync = (op: DiskOp): boolean => op.op === 'fsync' && op.path.startsWith('wal/');

describe('group commit', () => {
  it('appends that arrive while an fsync is in flight share the next single write and fsync', () => {
    const host = new ManualHost();
    host.persist(appendLog(1, entries(1, 1, 1)));
    expect(host.pendingOps()).toEqual(['write wal/0000000000000001.seg', 'fsync wal/0000000000000001.seg']);
    for (let i = 2; i <= 11; i++) host.persist(appendLog(i, entries(i, i, 1)));
    expect(host.pending).toHaveLength(2);
    host.settle();
    expect(host.persisted).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(host.disk.opCounts.get('fsync')).toBe(1 + 2);
    expect(host.disk.opCounts.get('write')).toBe(1 + 2);
  });

  it('a round covers at most groupCommitEntriesMax entries', () => {
    const host = new ManualHost({ groupCommitEntriesMax: 4 });
    host.persist(appendLog(1, entries(1, 1, 1)));
    for (let i = 2; i <= 9; i++) host.persist(appendLog(i, entries(i, i, 1)));
    host.settle();
    expect(host.persisted).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // One round for request 1, then two rounds of four entries.
    expect(host.disk.opCounts.get('fsync')).toBe(1 + 3);
  });

  it('consecutive hard states are coalesced into one metadata write of the newest, and every request is answered in order', () => {
    const host = new ManualHost();
    host.persist(appendLog(1, entries(1, 1, 1)));
    host.persist(persistState(2, 1, 'n1', 0));
    host.persist(persistState(3, 2, null, 0));
    host.persist(persistState(4, 2, 'n3', 1));
    host.settle();
    expect(host.persisted).toEqual([1, 2, 3, 4]);
    expect(host.disk.opCounts.get('rename')).toBe(1);
    const again = startOn(host.disk).driver.recovered;
    expect(again?.term).toBe(2);
    expect(again?.votedFor).toBe('n3');
    expect(again?.commitIndex).toBe(1);
  });
});

describe('where the hard state goes', () => {
  /** Delivers the round in flight while it touches only the metadata (bounded: a round has few ops). */
  function finishMetaRound(host: ManualHost): void {
    for (let i = 0; i < 10 && host.pending.length > 0 && host.pendingOps().every((op) => !op.includes('wal/')); i++) host.deliver(() => true);
  }

  it('when only the commit index moved: a commit record after the round\'s entries, under their one fsync, and no metadata', () => {
    const host = new ManualHost();
    host.persist(persistState(1, 1, 'n1', 0));
    host.persist(appendLog(2, entries(1, 3, 1)));
    host.persist(persistState(3, 1, 'n1', 2));
    finishMetaRound(host);
    expect(host.persisted).toEqual([1]);
    expect(host.disk.opCounts.get('rename')).toBe(1);
    expect(host.pendingOps()).toEqual(['write wal/0000000000000001.seg', 'fsync wal/0000000000000001.seg']);
    host.deliver((op) => op.op === 'write');
    expect(host.persisted).toEqual([1]);
    host.deliver(isWalFsync);
    expect(host.persisted).toEqual([1, 2, 3]);
    expect(host.disk.opCounts.get('rename')).toBe(1);
    const again = startOn(host.disk).driver.recovered;
    expect(again).toMatchObject({ term: 1, votedFor: 'n1', commitIndex: 2 });
  });

  it('a commit index that did not move is acknowledged at once, writing nothing', () => {
    const host = new ManualHost();
    host.persist(appendLog(1, entries(1, 3, 1)));
    host.persist(persistState(2, 1, 'n1', 2));
    host.settle();
    const writes = host.disk.opCounts.get('write');
    host.persist(persistState(3, 1, 'n1', 2));
    expect(host.pending).toEqual([]);
    expect(host.persisted).toEqual([1, 2, 3]);
    expect(host.disk.opCounts.get('write')).toBe(writes);
  });

  it('a new term or vote goes to the metadata with the commit index, and recovery takes the newer of the two places', () => {
    const host = new ManualHost();
    host.persist(appendLog(1, entries(1, 5, 1)));
    host.persist(persistState(2, 1, 'n1', 1));
    host.settle();
    host.persist(persistState(3, 1, 'n1', 4)); // WAL
    host.settle();
    expect(host.disk.opCounts.get('rename')).toBe(1);
    expect(startOn(host.disk).driver.recovered).toMatchObject({ term: 1, votedFor: 'n1', commitIndex: 4 });
    host.persist(persistState(4, 2, null, 5)); // metadata: a new term
    host.settle();
    expect(host.disk.opCounts.get('rename')).toBe(2);
    expect(startOn(host.disk).driver.recovered).toMatchObject({ term: 2, votedFor: null, commitIndex: 5 });
  });
});

describe('nothing is acknowledged before it is durable', () => {
  it('an append is acknowledged only after its fsync completes', () => {
    const host = new ManualHost();
    host.persist(appendLog(1, entries(1, 3, 1)));
    host.deliver((op) => op.op === 'write');
    expect(host.persisted).toEqual([]);
    host.deliver(isWalFsync);
    expect(host.persisted).toEqual([1]);
  });

  it('metadata is renamed over the old only after the WAL fsync of the same round succeeded', () => {
    const host = new ManualHost();
    host.persist(appendLog(1, entries(1, 3, 1)));
    host.persist(appendLog(3, entries(4, 4, 1)));
    host.persist(persistState(4, 1, 'n1', 4));
    host.deliver((op) => op.op === 'write');
    host.deliver(isWalFsync);
    expect(host.persisted).toEqual([1]);
    expect(host.pendingOps()).toEqual([
      'write wal/0000000000000001.seg', 'fsync wal/0000000000000001.seg',
      `create ${META_TMP_PATH}`, `write ${META_TMP_PATH}`, `fsync ${META_TMP_PATH}`,
    ]);
    host.deliver((op) => op.op !== 'fsync' || op.path === META_TMP_PATH);
    host.deliver((op) => op.op !== 'fsync' || op.path === META_TMP_PATH);
    host.deliver((op) => op.op !== 'fsync' || op.path === META_TMP_PATH);
    host.deliver((op) => op.op === 'fsync' && op.path === META_TMP_PATH);
    expect(host.pendingOps()).toEqual(['fsync wal/0000000000000001.seg']);
    host.deliver(isWalFsync);
    expect(host.pendingOps()).toEqual([`rename ${META_TMP_PATH} ${META_PATH}`, 'fsyncDir ']);
    expect(host.persisted).toEqual([1]);
    host.settle();
    expect(host.persisted).toEqual([1, 3, 4]);
  });

  it('a snapshot is acknowledged once renamed and its directory synced, and only then is the WAL trimmed', () => {
    const host = new ManualHost({ segmentBytesMax: 200 });
    for (let i = 1; i <= 6; i++) {
      host.persist(appendLog(i, entries(i * 2 - 1, i * 2, 1)));
      host.settle();
    }
    const segmentsBefore = host.storage.inspect().segments.length;
    expect(segmentsBefore).toBeGreaterThan(2);
    host.persist(saveSnapshot(7, 10, 1, true));
    expect(host.pendingOps().some((op) => op.startsWith('delete'))).toBe(false);
    host.deliver((op) => op.op === 'create');
    host.deliver((op) => op.op === 'write');
    host.deliver((op) => op.op === 'fsync');
    host.deliver((op) => op.op === 'rename');
    expect(host.persisted).toEqual([1, 2, 3, 4, 5, 6]);
    host.deliver((op) => op.op === 'fsyncDir');
    expect(host.persisted).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(host.pendingOps().filter((op) => op.startsWith('delete wal/')).length).toBeGreaterThan(0);
    host.settle();
    const recovered = startOn(host.disk).driver.recovered;
    expect(recovered?.snapshot?.meta.lastIndex).toBe(10);
    expect(recovered?.entries.map((e) => e.index)).toEqual([11, 12]);
  });
});

describe('rotation', () => {
  it('starts a new segment, named by its first LSN, when a write would pass segmentBytesMax', () => {
    const { driver, disk } = startOn(new MemDisk(), { segmentBytesMax: 150 });
    for (let i = 1; i <= 5; i++) {
      driver.persist(appendLog(i, entries(i, i, 1)));
      driver.pump();
    }
    const segments = [...disk.files.keys()].filter((p) => p.startsWith('wal/')).sort();
    expect(segments.length).toBeGreaterThan(1);
    for (const path of segments) expect(disk.files.get(path)?.length ?? 0).toBeLessThanOrEqual(150);
    expect(startOn(disk).driver.recovered?.entries.map((e) => e.index)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('failure', () => {
  it('an fsync EIO fails the round and every later request, and storage issues no further op', () => {
    const host = new ManualHost();
    host.persist(appendLog(1, entries(1, 1, 1)));
    host.persist(appendLog(2, entries(2, 2, 1)));
    host.persist(persistState(3, 1, null, 0));
    host.disk.failNext.push({ op: 'fsync', code: 'EIO' });
    host.deliver(() => true);
    host.deliver(() => true);
    expect(host.failed).toEqual([]);
    host.deliver(() => true);
    host.deliver(() => true);
    host.settle();
    expect(host.persisted).toEqual([1]);
    expect(host.failed).toEqual([2, 3]);
    expect(host.storage.inspect().phase).toBe('broken');
    host.persist(appendLog(4, entries(3, 3, 1)));
    expect(host.failed).toEqual([2, 3, 4]);
    expect(host.pending).toEqual([]);
  });

  it('a failure while trimming after an acknowledged snapshot keeps the acknowledgement and fails what queued behind it', () => {
    const host = new ManualHost({ segmentBytesMax: 200 });
    for (let i = 1; i <= 6; i++) {
      host.persist(appendLog(i, entries(i * 2 - 1, i * 2, 1)));
      host.settle();
    }
    host.disk.failNext.push({ op: 'delete', code: 'EIO' });
    host.persist(saveSnapshot(7, 10, 1, true));
    host.persist(appendLog(8, entries(13, 13, 1)));
    host.settle();
    expect(host.persisted).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(host.failed).toEqual([8]);
    expect(startOn(host.disk).driver.recovered?.snapshot?.meta.lastIndex).toBe(10);
  });
});

describe('configuration', () => {
  it('names every field that is out of range', () => {
    expect(storageConfigProblems({ segmentBytesMax: 0, groupCommitEntriesMax: 1.5, recordBytesTarget: 64 })).toEqual([
      'storage.segmentBytesMax: 0 must be an integer in [1, 1073741824]',
      'storage.groupCommitEntriesMax: 1.5 must be an integer in [1, 1048576]',
    ]);
    expect(storageConfigProblems(DEFAULT_STORAGE_CONFIG)).toEqual([]);
  });
});
