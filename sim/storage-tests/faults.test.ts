// One test per fault of the simulated disk's model (sim/disk/FAULTS.md), each showing what
// storage does about it: a crash's lost or torn unsynced write is survived (the torn tail is cut
// off and the node starts); a bit flip on read is survived by reading again; damage to durable
// bytes (a misdirected write, latent corruption) fails closed with the precise reason; an fsync
// EIO or an ENOSPC fails the request and every later one, nothing more is written, and a restart
// recovers what is durable. Plus the other fail-closed rules: a segment missing in the middle, a
// snapshot whose checksum fails, and metadata that contradicts the log.

import { describe, expect, it } from 'vitest';
import type { SimDisk } from '../disk/disk';
import { encodeHardState } from '../../src/storage/codec';
import { encodeFrame, RECORD_TYPES } from '../../src/storage/frame';
import { META_PATH, segmentPath, SNAP_DIR, WAL_DIR } from '../../src/storage/layout';
import type { StorageDriver } from '../../src/storage/testing/driver';
import { appendLog, entries, persistState } from '../../src/storage/testing/fixtures';
import { driverOn, entryKey, SMALL_SEGMENTS, expectKeeps, followerScript, issuedEntries, makeSimDisk, promisesOf, runScript } from './workload';

const LOSE_ALL = { keepUnsynced: 0, tearUnsynced: 0 };
const TEAR_ALL = { keepUnsynced: 0, tearUnsynced: 1 };
const script = followerScript();

/** A disk holding the whole script, acknowledged. */
function fullDisk(seed = 'faults'): { disk: SimDisk; driver: StorageDriver } {
  const disk = makeSimDisk(seed);
  const driver = driverOn(disk).start();
  runScript(driver, script);
  expect(driver.persisted).toHaveLength(script.length);
  return { disk, driver };
}

function recover(disk: SimDisk): StorageDriver {
  return driverOn(disk).start();
}

function segmentsOf(disk: SimDisk): string[] {
  return disk.summary().files.map((f) => f.path).filter((p) => p.startsWith(`${WAL_DIR}/`));
}

/** Runs the script but stops the disk right after the n-th WAL write into an existing segment (1-based). */
function stopAfterWalWrite(disk: SimDisk, n: number): StorageDriver {
  const probe = driverOn(makeSimDisk('probe')).start();
  runScript(probe, script);
  let seen = 0;
  // A write into a segment that already exists (offset > 0), so a crash can keep part of it.
  const index = probe.ops.findIndex((op) => op.op === 'write' && op.path.startsWith(`${WAL_DIR}/`) && op.offset > 0 && ++seen === n);
  expect(index).toBeGreaterThan(0);
  const driver = driverOn(disk, index + 1).start();
  runScript(driver, script);
  expect(driver.ops[driver.ops.length - 1]?.op).toBe('write');
  return driver;
}

describe('crash faults: storage survives them and starts', () => {
  it('a lost unsynced write takes only unacknowledged entries with it', () => {
    const disk = makeSimDisk('lost');
    const first = stopAfterWalWrite(disk, 2);
    disk.crash(LOSE_ALL);
    const second = recover(disk);
    expect(second.failClosed).toBeNull();
    const state = second.recovered;
    if (state === null) throw new Error('did not recover');
    expectKeeps(state, promisesOf(script, first.persisted), issuedEntries(script), 'lost write');
    expect(second.notes.some((n) => n.event === 'storage.tornTail')).toBe(false);
  });

  it('a torn write at the end of the last segment is truncated and the node starts', () => {
    const disk = makeSimDisk('torn');
    const first = stopAfterWalWrite(disk, 2);
    const report = disk.crash(TEAR_ALL);
    expect(report.tornWrites).toBeGreaterThan(0);
    const second = recover(disk);
    expect(second.failClosed).toBeNull();
    const torn = second.notes.find((n) => n.event === 'storage.tornTail');
    expect(torn?.fields['droppedBytes']).toBeGreaterThan(0);
    const state = second.recovered;
    if (state === null) throw new Error('did not recover');
    expectKeeps(state, promisesOf(script, first.persisted), issuedEntries(script), 'torn write');
    // The cut is durable: another recovery finds a clean tail.
    disk.crash(LOSE_ALL);
    const third = recover(disk);
    expect(third.failClosed).toBeNull();
    expect(third.notes.some((n) => n.event === 'storage.tornTail')).toBe(false);
    expect(third.recovered?.entries.map(entryKey)).toEqual(state.entries.map(entryKey));
  });
});

describe('read faults: a bit flip on read is transient', () => {
  it('a segment that fails its checksum is read again, and the clean copy is used', () => {
    const { disk } = fullDisk();
    const clean = recover(disk).recovered;
    const snapshots = disk.summary().files.map((f) => f.path).filter((p) => p.startsWith(`${SNAP_DIR}/`));
    expect(snapshots).toHaveLength(1);
    for (const path of [...segmentsOf(disk), META_PATH, ...snapshots]) {
      disk.arm({ kind: 'bit-flip', path });
      const again = recover(disk);
      expect(again.failClosed, path).toBeNull();
      expect(again.notes.filter((n) => n.event === 'storage.reread').map((n) => n.fields['path'])).toEqual([path]);
      expect(again.recovered).toEqual(clean);
    }
  });
});

describe('damage to durable bytes fails closed with the precise reason', () => {
  it('a misdirected write that was acknowledged is found after a crash and the node refuses to start', () => {
    const disk = makeSimDisk('misdirected');
    const driver = driverOn(disk).start();
    runScript(driver, script.slice(0, 6));
    const tail = segmentsOf(disk).at(-1) as string;
    disk.arm({ kind: 'misdirected-write', path: tail });
    driver.persist(appendLog(7, entries(9, 9, 1)));
    driver.pump();
    expect(driver.persisted).toContain(7);
    expect(disk.stats().faults['misdirected-write']).toBe(1);
    disk.crash(LOSE_ALL);
    const after = recover(disk);
    expect(after.recovered).toBeNull();
    expect(after.failClosed).toMatch(/^wal\/\d{16}\.seg: .* at offset \d+/);
  });

  it('latent corruption of a record followed by intact ones fails closed naming the segment and offset', () => {
    const { disk } = fullDisk();
    const path = segmentsOf(disk).at(-1) as string;
    expect(disk.corrupt(path, 30).ok).toBe(true);
    const after = recover(disk);
    expect(after.recovered).toBeNull();
    expect(after.failClosed).toContain(path);
    expect(after.failClosed).toMatch(/at offset \d+/);
    expect(after.notes.some((n) => n.event === 'storage.reread' && n.fields['path'] === path)).toBe(true);
  });

  it('a snapshot whose checksum fails is corruption', () => {
    const { disk } = fullDisk();
    const snap = disk.summary().files.find((f) => f.path.startsWith(`${SNAP_DIR}/`));
    if (snap === undefined) throw new Error('no snapshot');
    expect(disk.corrupt(snap.path, snap.sizeBytes - 1).ok).toBe(true);
    const after = recover(disk);
    expect(after.recovered).toBeNull();
    expect(after.failClosed).toBe(`${snap.path}: frame payload checksum mismatch at offset 0`);
  });

  it('damaged metadata is corruption', () => {
    const { disk } = fullDisk();
    expect(disk.corrupt(META_PATH, 25).ok).toBe(true);
    expect(recover(disk).failClosed).toMatch(/^meta: frame payload checksum mismatch/);
  });

  it('a segment missing in the middle is corruption', () => {
    const disk = makeSimDisk('missing');
    const driver = driverOn(disk, Number.MAX_SAFE_INTEGER, null, { ...SMALL_SEGMENTS, segmentBytesMax: 120 }).start();
    runScript(driver, script.slice(0, 9));
    const segments = segmentsOf(disk);
    expect(segments.length).toBeGreaterThanOrEqual(3);
    const middle = segments[1] as string;
    expect(disk.execute({ op: 'delete', path: middle }).result.ok).toBe(true);
    disk.execute({ op: 'fsyncDir', dir: WAL_DIR });
    const after = recover(disk);
    expect(after.recovered).toBeNull();
    expect(after.failClosed).toMatch(/^segment missing: wal\/\d{16}\.seg ends at LSN \d+ but the next segment wal\/\d{16}\.seg starts at LSN \d+$/);
  });

  it('metadata whose commit index is beyond the durable log is corruption', () => {
    const { disk, driver } = fullDisk();
    const lastIndex = 27;
    expect(driver.persisted.length).toBe(script.length);
    const meta = encodeFrame(RECORD_TYPES.hardState, 0, encodeHardState({ term: 4, votedFor: 'n3', commitIndex: lastIndex + 5 }));
    expect(disk.execute({ op: 'write', path: META_PATH, offset: 0, data: meta }).result.ok).toBe(true);
    disk.execute({ op: 'fsync', path: META_PATH });
    expect(recover(disk).failClosed).toBe(`meta says commit index ${lastIndex + 5} but the durable log ends at index ${lastIndex}`);
  });
});

describe('write faults: fail the request and every later one, write nothing more, recover what is durable', () => {
  it('EIO on the WAL fsync fails that request and all later ones; a restart recovers without them', () => {
    const disk = makeSimDisk('eio');
    const driver = driverOn(disk).start();
    runScript(driver, script.slice(0, 3));
    expect(driver.persisted).toEqual([1, 2, 3]);
    const metaRenames = (): number => driver.ops.filter((op) => op.op === 'rename' && op.to === META_PATH).length;
    const renamesBefore = metaRenames();
    disk.arm({ kind: 'fsync-eio', path: segmentsOf(disk).at(-1) as string });
    driver.persist(appendLog(4, entries(4, 6, 1)));
    driver.persist(persistState(5, 1, 'n1', 5));
    driver.pump();
    expect(driver.failed.map((f) => f.syncId)).toEqual([4, 5]);
    expect(driver.failed[0]?.reason).toMatch(/^fsync wal\/\d{16}\.seg: EIO/);
    // The failed round's commit index (5, beyond the durable log) never becomes durable: it went
    // into the WAL write whose fsync failed, and no metadata is renamed into place.
    expect(metaRenames()).toBe(renamesBefore);
    const opsBefore = driver.opsExecuted;
    driver.persist(appendLog(6, entries(4, 4, 1)));
    expect(driver.failed.map((f) => f.syncId)).toEqual([4, 5, 6]);
    expect(driver.opsExecuted).toBe(opsBefore);

    // The node halts and restarts; the disk did not crash, and its page cache shows only what is durable.
    const again = recover(disk);
    expect(again.failClosed).toBeNull();
    expect(again.recovered?.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(again.recovered?.commitIndex).toBe(2);
  });

  it('EIO on the metadata fsync leaves the old metadata in place', () => {
    const disk = makeSimDisk('eio-meta');
    const driver = driverOn(disk).start();
    runScript(driver, script.slice(0, 3));
    disk.arm({ kind: 'fsync-eio', path: 'meta.tmp' });
    driver.persist(persistState(4, 2, 'n2', 3));
    driver.pump();
    expect(driver.failed.map((f) => f.syncId)).toEqual([4]);
    const again = recover(disk);
    expect(again.recovered?.term).toBe(1);
    expect(again.recovered?.votedFor).toBe('n1');
  });

  it('ENOSPC on a WAL write fails the request and all later ones; a restart recovers without them', () => {
    const disk = makeSimDisk('enospc');
    const driver = driverOn(disk).start();
    runScript(driver, script.slice(0, 3));
    disk.arm({ kind: 'enospc', path: segmentsOf(disk).at(-1) as string });
    driver.persist(appendLog(4, entries(4, 6, 1)));
    driver.pump();
    expect(driver.failed).toEqual([{ syncId: 4, reason: expect.stringMatching(/^write wal\/\d{16}\.seg: ENOSPC/) as unknown as string }]);
    const again = recover(disk);
    expect(again.failClosed).toBeNull();
    expect(again.recovered?.entries.map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it('EIO on the fsync of a freshly rotated segment: the node restarts on the segments before it', () => {
    const disk = makeSimDisk('eio-rotate');
    const tiny = { ...SMALL_SEGMENTS, segmentBytesMax: 60 };
    const driver = driverOn(disk, Number.MAX_SAFE_INTEGER, null, tiny).start();
    runScript(driver, script.slice(0, 3));
    const next = driver.storage.inspect().nextLsn;
    disk.arm({ kind: 'fsync-eio', path: segmentPath(next) });
    driver.persist(appendLog(4, entries(4, 6, 1)));
    driver.pump();
    expect(driver.failed.map((f) => f.syncId)).toEqual([4]);
    expect(driver.ops.some((op) => op.op === 'create' && op.path === segmentPath(next))).toBe(true);
    const again = driverOn(disk, Number.MAX_SAFE_INTEGER, null, tiny).start();
    expect(again.failClosed).toBeNull();
    expect(again.recovered?.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    // And it goes on appending into the segment whose header it rewrote.
    again.persist(appendLog(5, entries(4, 4, 1)));
    again.pump();
    expect(again.persisted).toEqual([5]);
    disk.crash(LOSE_ALL);
    const third = driverOn(disk, Number.MAX_SAFE_INTEGER, null, tiny).start();
    expect(third.failClosed).toBeNull();
    expect(third.recovered?.entries.map((e) => e.index)).toEqual([1, 2, 3, 4]);
  });

  it('a write failing during recovery asks for a restart (not fail-closed), and the next recovery succeeds', () => {
    const disk = makeSimDisk('enospc-recovery');
    disk.arm({ kind: 'enospc', path: segmentPath(1) });
    const first = recover(disk);
    expect(first.recovered).toBeNull();
    expect(first.failClosed).toBeNull();
    expect(first.restart).toMatch(/^repairing: write wal\/0000000000000001\.seg: ENOSPC/);
    const second = recover(disk);
    expect(second.recovered?.entries).toEqual([]);
  });
});
