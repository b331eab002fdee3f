// Proves what a power loss does: unsynced writes lost, kept or torn at a seeded byte boundary,
// truncates kept or lost, and the directory rules of FAULTS.md (create, delete and rename undone
// by a crash before fsyncDir, kept after; a rename committed whole). Also wipe.

import { describe, expect, it } from 'vitest';
import { bytes, durableFile, fails, KEEP_ALL, LOSE_ALL, makeDisk, ok, readAll, TEAR_ALL, text } from './testkit';

describe('unsynced writes at a crash', () => {
  it('are lost when the policy loses them; fsync’d bytes stay', () => {
    const disk = makeDisk();
    durableFile(disk, 'wal', 'synced;');
    ok(disk, { op: 'append', path: 'wal', data: bytes('unsynced;') });
    ok(disk, { op: 'write', path: 'wal', offset: 0, data: bytes('S') });
    const report = disk.crash(LOSE_ALL);
    expect(text(readAll(disk, 'wal'))).toBe('synced;');
    expect(report).toMatchObject({ lostWrites: 2, keptWrites: 0, tornWrites: 0, lostBytes: 10 });
    expect(report.writes).toEqual([
      { path: 'wal', offset: 7, lengthBytes: 9, outcome: 'lost', keptBytes: 0 },
      { path: 'wal', offset: 0, lengthBytes: 1, outcome: 'lost', keptBytes: 0 },
    ]);
  });

  it('are kept whole when the policy keeps them', () => {
    const disk = makeDisk();
    durableFile(disk, 'wal', 'synced;');
    ok(disk, { op: 'append', path: 'wal', data: bytes('unsynced;') });
    ok(disk, { op: 'write', path: 'wal', offset: 0, data: bytes('S') });
    expect(disk.crash(KEEP_ALL)).toMatchObject({ keptWrites: 2, lostBytes: 0 });
    expect(text(readAll(disk, 'wal'))).toBe('Synced;unsynced;');
    expect(disk.summary().files[0]).toMatchObject({ dirtyBytes: 0, durableSizeBytes: 16 });
  });

  it('are torn to a strict prefix cut at the reported byte boundary', () => {
    const record = 'record-of-forty-bytes-0123456789abcdefgh';
    const cuts = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const disk = makeDisk({}, `tear-${seed}`);
      durableFile(disk, 'wal', 'head;');
      ok(disk, { op: 'append', path: 'wal', data: bytes(record) });
      const report = disk.crash(TEAR_ALL);
      const kept = report.writes[0]?.keptBytes ?? -1;
      expect(report.tornWrites).toBe(1);
      expect(kept).toBeGreaterThanOrEqual(1);
      expect(kept).toBeLessThan(record.length);
      expect(text(readAll(disk, 'wal'))).toBe(`head;${record.slice(0, kept)}`);
      cuts.add(kept);
    }
    // Seeded, not fixed: different seeds cut at different bytes (not only at sector boundaries).
    expect(cuts.size).toBeGreaterThan(10);
  });

  it('are cut at the same byte for the same seed', () => {
    const cutFor = (seed: string): number => {
      const disk = makeDisk({ crash: { keepUnsynced: 0.3, tearUnsynced: 0.5 } }, seed);
      durableFile(disk, 'wal', '');
      for (let i = 0; i < 20; i++) ok(disk, { op: 'append', path: 'wal', data: bytes(`entry-${i};`) });
      disk.crash();
      return readAll(disk, 'wal').length;
    };
    expect(cutFor('same')).toBe(cutFor('same'));
  });

  it('are decided independently: a later write may survive an earlier lost one', () => {
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const disk = makeDisk({ crash: { keepUnsynced: 0.5, tearUnsynced: 0 } }, `mix-${seed}`);
      durableFile(disk, 'f', '');
      ok(disk, { op: 'append', path: 'f', data: bytes('AAAA') });
      ok(disk, { op: 'append', path: 'f', data: bytes('BBBB') });
      outcomes.add(disk.crash().writes.map((w) => w.outcome).join(','));
    }
    expect([...outcomes].sort()).toEqual(['kept,kept', 'kept,lost', 'lost,kept', 'lost,lost']);
  });

  it('a lost write before a kept one leaves zeros in the gap', () => {
    for (let seed = 0; seed < 40; seed++) {
      const disk = makeDisk({ crash: { keepUnsynced: 0.5, tearUnsynced: 0 } }, `gap-${seed}`);
      durableFile(disk, 'f', '');
      ok(disk, { op: 'append', path: 'f', data: bytes('AAAA') });
      ok(disk, { op: 'append', path: 'f', data: bytes('BBBB') });
      const outcomes = disk.crash().writes.map((w) => w.outcome).join(',');
      if (outcomes !== 'lost,kept') continue;
      expect([...readAll(disk, 'f')]).toEqual([0, 0, 0, 0, ...bytes('BBBB')]);
      return;
    }
    throw new Error('no seed produced lost,kept');
  });

  it('truncates are kept or lost whole', () => {
    const keep = makeDisk();
    durableFile(keep, 'f', 'abcdef');
    ok(keep, { op: 'truncate', path: 'f', size: 2 });
    expect(keep.crash(KEEP_ALL)).toMatchObject({ keptTruncates: 1, lostTruncates: 0 });
    expect(text(readAll(keep, 'f'))).toBe('ab');

    const lose = makeDisk();
    durableFile(lose, 'f', 'abcdef');
    ok(lose, { op: 'truncate', path: 'f', size: 2 });
    expect(lose.crash(TEAR_ALL)).toMatchObject({ keptTruncates: 0, lostTruncates: 1 });
    expect(text(readAll(lose, 'f'))).toBe('abcdef');
  });
});

describe('directory durability', () => {
  it('a created file vanishes at a crash before fsyncDir, even if the file was fsync’d', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'wal/1' });
    ok(disk, { op: 'append', path: 'wal/1', data: bytes('data') });
    ok(disk, { op: 'fsync', path: 'wal/1' });
    const report = disk.crash(KEEP_ALL);
    expect(report.vanished).toEqual(['wal/1']);
    fails(disk, { op: 'stat', path: 'wal/1' }, 'ENOENT');
    expect(ok(disk, { op: 'list', dir: 'wal' }).names).toEqual([]);
  });

  it('a created file survives once its directory is fsync’d (not another directory)', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'wal/1' });
    ok(disk, { op: 'create', path: 'snap/1' });
    ok(disk, { op: 'fsyncDir', dir: 'wal' });
    ok(disk, { op: 'fsyncDir', dir: '' }); // the root is not the directory holding either file
    expect(disk.crash(LOSE_ALL).vanished).toEqual(['snap/1']);
    expect(ok(disk, { op: 'list', dir: 'wal' }).names).toEqual(['1']);
  });

  it('a delete is undone by a crash before fsyncDir and kept after', () => {
    const disk = makeDisk();
    durableFile(disk, 'old', 'bytes');
    ok(disk, { op: 'delete', path: 'old' });
    expect(disk.summary().ghosts).toEqual([{ path: 'old', durableSizeBytes: 5 }]);
    expect(disk.crash(LOSE_ALL).reappeared).toEqual(['old']);
    expect(text(readAll(disk, 'old'))).toBe('bytes');

    ok(disk, { op: 'delete', path: 'old' });
    ok(disk, { op: 'fsyncDir', dir: '' });
    disk.crash(LOSE_ALL);
    fails(disk, { op: 'stat', path: 'old' }, 'ENOENT');
  });

  it('a rename over a file is undone by a crash before fsyncDir and kept after', () => {
    const disk = makeDisk();
    durableFile(disk, 'snap', 'v1');
    durableFile(disk, 'snap.tmp', 'v2');
    ok(disk, { op: 'rename', from: 'snap.tmp', to: 'snap' });
    const undone = disk.crash(LOSE_ALL);
    expect(undone.reappeared).toEqual(['snap.tmp']);
    expect(text(readAll(disk, 'snap'))).toBe('v1');
    expect(text(readAll(disk, 'snap.tmp'))).toBe('v2');

    ok(disk, { op: 'rename', from: 'snap.tmp', to: 'snap' });
    ok(disk, { op: 'fsyncDir', dir: '' });
    disk.crash(LOSE_ALL);
    expect(text(readAll(disk, 'snap'))).toBe('v2');
    expect(ok(disk, { op: 'list', dir: '' }).names).toEqual(['snap']);
  });

  it('a rename across directories is committed whole by an fsyncDir of either one', () => {
    for (const syncedDir of ['tmp', 'data']) {
      const disk = makeDisk();
      durableFile(disk, 'tmp/x', 'payload', 'tmp');
      ok(disk, { op: 'rename', from: 'tmp/x', to: 'data/x' });
      ok(disk, { op: 'fsyncDir', dir: syncedDir });
      disk.crash(LOSE_ALL);
      expect(ok(disk, { op: 'list', dir: 'tmp' }).names).toEqual([]);
      expect(text(readAll(disk, 'data/x'))).toBe('payload');
    }
  });

  it('a crash never leaves a file under two names or none, whatever was synced', () => {
    const disk = makeDisk();
    durableFile(disk, 'a/f', 'one', 'a');
    ok(disk, { op: 'rename', from: 'a/f', to: 'b/f' });
    ok(disk, { op: 'rename', from: 'b/f', to: 'c/f' });
    ok(disk, { op: 'fsyncDir', dir: 'b' }); // b holds nothing now: commits nothing of the file
    disk.crash(LOSE_ALL);
    const names = ['a', 'b', 'c'].flatMap((dir) => (ok(disk, { op: 'list', dir }).names ?? []).map((n) => `${dir}/${n}`));
    expect(names).toEqual(['a/f']);
  });

  it('a file displaced by a committed rename keeps the name it was itself renamed to', () => {
    const disk = makeDisk();
    durableFile(disk, 'snap', 'v1');
    durableFile(disk, 'tmp/new', 'v2', 'tmp');
    ok(disk, { op: 'rename', from: 'snap', to: 'old/snap' });
    ok(disk, { op: 'rename', from: 'tmp/new', to: 'snap' });
    ok(disk, { op: 'fsyncDir', dir: '' }); // commits tmp/new -> snap, displacing v1's durable name
    disk.crash(LOSE_ALL);
    expect(text(readAll(disk, 'snap'))).toBe('v2');
    expect(text(readAll(disk, 'old/snap'))).toBe('v1');
    expect(ok(disk, { op: 'list', dir: 'tmp' }).names).toEqual([]);
  });

  it('data written after a rename lands in the renamed file', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'tmp' });
    ok(disk, { op: 'rename', from: 'tmp', to: 'final' });
    ok(disk, { op: 'append', path: 'final', data: bytes('content') });
    ok(disk, { op: 'fsync', path: 'final' });
    ok(disk, { op: 'fsyncDir', dir: '' });
    disk.crash(LOSE_ALL);
    expect(text(readAll(disk, 'final'))).toBe('content');
  });
});

describe('wipe', () => {
  it('leaves an empty disk, durable names included', () => {
    const disk = makeDisk();
    durableFile(disk, 'wal/1', 'x', 'wal');
    disk.wipe();
    expect(disk.summary()).toMatchObject({ files: [], ghosts: [], usedBytes: 0 });
    disk.crash(KEEP_ALL);
    expect(ok(disk, { op: 'list', dir: 'wal' }).names).toEqual([]);
    expect(disk.stats().wipes).toBe(1);
  });
});
