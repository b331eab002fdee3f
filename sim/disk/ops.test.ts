// Proves the semantics of each disk operation as the page cache shows them (no crash, no
// faults): the errors a real file system gives, reads past the end, truncation, gaps reading as
// zeros, rename replacing its target, sorted listings, capacity, and the counters.

import { describe, expect, it } from 'vitest';
import { FILE_COUNT_MAX } from './disk';
import { bytes, fails, makeDisk, ok, readAll, text } from './testkit';

describe('create', () => {
  it('makes an empty file and refuses an existing one with EEXIST', () => {
    const disk = makeDisk();
    expect(ok(disk, { op: 'create', path: 'meta' }).size).toBe(0);
    expect(ok(disk, { op: 'stat', path: 'meta' }).size).toBe(0);
    fails(disk, { op: 'create', path: 'meta' }, 'EEXIST');
  });

  it('refuses a name that is a directory, and a file under a file', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'wal/1.seg' });
    expect(fails(disk, { op: 'create', path: 'wal' }, 'EEXIST').result).toMatchObject({ detail: 'wal is a directory' });
    expect(fails(disk, { op: 'create', path: 'wal/1.seg/x' }, 'EINVAL').result).toMatchObject({
      detail: 'wal/1.seg is a file, not a directory',
    });
  });

  it('fails with ENOSPC once the file count reaches its bound (no inodes left)', () => {
    const disk = makeDisk();
    for (let i = 0; i < FILE_COUNT_MAX; i++) ok(disk, { op: 'create', path: `f${i}` });
    fails(disk, { op: 'create', path: 'one-more' }, 'ENOSPC');
    ok(disk, { op: 'delete', path: 'f0' });
    ok(disk, { op: 'create', path: 'one-more' });
  });

  it('refuses malformed paths with EINVAL', () => {
    const disk = makeDisk();
    for (const path of ['', '/abs', 'trail/', 'a//b', 'a/./b', '../up', 'nul\0byte', 'x'.repeat(5000)]) {
      fails(disk, { op: 'create', path }, 'EINVAL');
    }
  });
});

describe('write and append', () => {
  it('refuse a missing file with ENOENT', () => {
    const disk = makeDisk();
    fails(disk, { op: 'write', path: 'nope', offset: 0, data: bytes('x') }, 'ENOENT');
    fails(disk, { op: 'append', path: 'nope', data: bytes('x') }, 'ENOENT');
  });

  it('append returns the offset each record was written at and the new size', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'log' });
    expect(ok(disk, { op: 'append', path: 'log', data: bytes('abc') })).toMatchObject({ offset: 0, size: 3 });
    expect(ok(disk, { op: 'append', path: 'log', data: bytes('de') })).toMatchObject({ offset: 3, size: 5 });
    expect(text(readAll(disk, 'log'))).toBe('abcde');
  });

  it('write overwrites in place and past the end leaves a gap of zeros', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    ok(disk, { op: 'append', path: 'f', data: bytes('hello') });
    ok(disk, { op: 'write', path: 'f', offset: 1, data: bytes('EL') });
    expect(ok(disk, { op: 'write', path: 'f', offset: 8, data: bytes('!') }).size).toBe(9);
    expect([...readAll(disk, 'f')]).toEqual([...bytes('hELlo'), 0, 0, 0, ...bytes('!')]);
  });

  it('the caller may reuse its buffer after a write', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    const buffer = bytes('abc');
    ok(disk, { op: 'append', path: 'f', data: buffer });
    buffer.fill(0x7a);
    expect(text(readAll(disk, 'f'))).toBe('abc');
  });

  it('an empty write succeeds and changes nothing', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    expect(ok(disk, { op: 'write', path: 'f', offset: 100, data: new Uint8Array(0) }).size).toBe(0);
    expect(disk.summary().files[0]).toMatchObject({ sizeBytes: 0, pendingOps: 0 });
  });

  it('refuses a negative or fractional offset with EINVAL', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    fails(disk, { op: 'write', path: 'f', offset: -1, data: bytes('x') }, 'EINVAL');
    fails(disk, { op: 'write', path: 'f', offset: 0.5, data: bytes('x') }, 'EINVAL');
  });

  it('fails with ENOSPC when the files would exceed the capacity, and frees space on delete', () => {
    const disk = makeDisk({ capacityBytes: 10 });
    ok(disk, { op: 'create', path: 'a' });
    ok(disk, { op: 'append', path: 'a', data: new Uint8Array(8) });
    ok(disk, { op: 'create', path: 'b' });
    const refused = fails(disk, { op: 'append', path: 'b', data: new Uint8Array(3) }, 'ENOSPC');
    expect(refused.faults).toEqual([]); // a real ENOSPC, not an injected one
    expect(ok(disk, { op: 'stat', path: 'b' }).size).toBe(0);
    ok(disk, { op: 'write', path: 'a', offset: 0, data: new Uint8Array(8) }); // overwrite needs no space
    ok(disk, { op: 'delete', path: 'a' });
    ok(disk, { op: 'append', path: 'b', data: new Uint8Array(10) });
    expect(disk.summary().usedBytes).toBe(10);
  });
});

describe('read and readAll', () => {
  it('return fewer bytes at the end of the file and none past it', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    ok(disk, { op: 'append', path: 'f', data: bytes('0123456789') });
    expect(text(ok(disk, { op: 'read', path: 'f', offset: 2, length: 3 }).data)).toBe('234');
    expect(text(ok(disk, { op: 'read', path: 'f', offset: 8, length: 100 }).data)).toBe('89');
    expect(ok(disk, { op: 'read', path: 'f', offset: 10, length: 5 }).data?.length).toBe(0);
    expect(ok(disk, { op: 'read', path: 'f', offset: 500, length: 5 }).data?.length).toBe(0);
  });

  it('refuse a missing file with ENOENT and bad ranges with EINVAL', () => {
    const disk = makeDisk();
    fails(disk, { op: 'read', path: 'nope', offset: 0, length: 1 }, 'ENOENT');
    fails(disk, { op: 'readAll', path: 'nope' }, 'ENOENT');
    ok(disk, { op: 'create', path: 'f' });
    fails(disk, { op: 'read', path: 'f', offset: -1, length: 1 }, 'EINVAL');
    fails(disk, { op: 'read', path: 'f', offset: 0, length: -1 }, 'EINVAL');
  });

  it('see synced and unsynced bytes alike (the page cache)', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    ok(disk, { op: 'append', path: 'f', data: bytes('synced-') });
    ok(disk, { op: 'fsync', path: 'f' });
    ok(disk, { op: 'append', path: 'f', data: bytes('dirty') });
    ok(disk, { op: 'write', path: 'f', offset: 0, data: bytes('S') });
    expect(text(readAll(disk, 'f'))).toBe('Synced-dirty');
  });
});

describe('truncate', () => {
  it('shrinks, and bytes brought back by a later extension read as zeros', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    ok(disk, { op: 'append', path: 'f', data: bytes('abcdef') });
    ok(disk, { op: 'fsync', path: 'f' });
    expect(ok(disk, { op: 'truncate', path: 'f', size: 2 }).size).toBe(2);
    expect(text(readAll(disk, 'f'))).toBe('ab');
    ok(disk, { op: 'truncate', path: 'f', size: 4 });
    expect([...readAll(disk, 'f')]).toEqual([...bytes('ab'), 0, 0]);
    ok(disk, { op: 'fsync', path: 'f' });
    expect([...readAll(disk, 'f')]).toEqual([...bytes('ab'), 0, 0]);
  });

  it('refuses a missing file with ENOENT and a negative size with EINVAL', () => {
    const disk = makeDisk();
    fails(disk, { op: 'truncate', path: 'nope', size: 0 }, 'ENOENT');
    ok(disk, { op: 'create', path: 'f' });
    fails(disk, { op: 'truncate', path: 'f', size: -3 }, 'EINVAL');
  });

  it('fails with ENOSPC when extending past the capacity', () => {
    const disk = makeDisk({ capacityBytes: 100 });
    ok(disk, { op: 'create', path: 'f' });
    fails(disk, { op: 'truncate', path: 'f', size: 101 }, 'ENOSPC');
    ok(disk, { op: 'truncate', path: 'f', size: 100 });
  });
});

describe('rename, delete, list, stat', () => {
  it('rename moves a file and atomically replaces the target', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'snap.tmp' });
    ok(disk, { op: 'append', path: 'snap.tmp', data: bytes('new') });
    ok(disk, { op: 'create', path: 'snap' });
    ok(disk, { op: 'append', path: 'snap', data: bytes('old!') });
    ok(disk, { op: 'rename', from: 'snap.tmp', to: 'snap' });
    expect(text(readAll(disk, 'snap'))).toBe('new');
    fails(disk, { op: 'stat', path: 'snap.tmp' }, 'ENOENT');
    expect(disk.summary().usedBytes).toBe(3);
  });

  it('rename of a missing file is ENOENT, onto a directory EEXIST, onto itself a no-op', () => {
    const disk = makeDisk();
    fails(disk, { op: 'rename', from: 'nope', to: 'x' }, 'ENOENT');
    ok(disk, { op: 'create', path: 'd/f' });
    ok(disk, { op: 'create', path: 'g' });
    fails(disk, { op: 'rename', from: 'g', to: 'd' }, 'EEXIST');
    fails(disk, { op: 'rename', from: 'g', to: 'g/h' }, 'EINVAL');
    ok(disk, { op: 'rename', from: 'g', to: 'g' });
    expect(ok(disk, { op: 'list', dir: '' }).names).toEqual(['g']);
  });

  it('delete removes a file; deleting it again is ENOENT', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    ok(disk, { op: 'delete', path: 'f' });
    fails(disk, { op: 'delete', path: 'f' }, 'ENOENT');
    fails(disk, { op: 'readAll', path: 'f' }, 'ENOENT');
  });

  it('list gives the files directly in a directory, sorted; a missing directory is empty', () => {
    const disk = makeDisk();
    for (const path of ['wal/3', 'wal/1', 'wal/sub/x', 'meta', 'wal/2']) ok(disk, { op: 'create', path });
    expect(ok(disk, { op: 'list', dir: 'wal' }).names).toEqual(['1', '2', '3']);
    expect(ok(disk, { op: 'list', dir: '' }).names).toEqual(['meta']);
    expect(ok(disk, { op: 'list', dir: 'wal/sub' }).names).toEqual(['x']);
    expect(ok(disk, { op: 'list', dir: 'none' }).names).toEqual([]);
    fails(disk, { op: 'list', dir: 'meta' }, 'EINVAL');
    fails(disk, { op: 'list', dir: 'wal/' }, 'EINVAL');
  });

  it('stat gives the size the page cache shows', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    ok(disk, { op: 'write', path: 'f', offset: 40, data: bytes('xy') });
    expect(ok(disk, { op: 'stat', path: 'f' }).size).toBe(42);
    fails(disk, { op: 'stat', path: 'g' }, 'ENOENT');
  });
});

describe('stats and summary', () => {
  it('count operations by kind, bytes, errors and syncs', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    ok(disk, { op: 'append', path: 'f', data: bytes('12345') });
    ok(disk, { op: 'write', path: 'f', offset: 0, data: bytes('ab') });
    ok(disk, { op: 'fsync', path: 'f' });
    ok(disk, { op: 'read', path: 'f', offset: 3, length: 10 });
    fails(disk, { op: 'create', path: 'f' }, 'EEXIST');
    const stats = disk.stats();
    expect(stats.ops).toMatchObject({ create: 2, append: 1, write: 1, fsync: 1, read: 1, delete: 0 });
    expect(stats).toMatchObject({ bytesWritten: 7, bytesRead: 2, bytesSynced: 7 });
    expect(stats.errors).toMatchObject({ EEXIST: 1, ENOENT: 0 });
  });

  it('summary shows durable and dirty bytes per file, sorted by path', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'z' });
    ok(disk, { op: 'create', path: 'a' });
    ok(disk, { op: 'append', path: 'a', data: bytes('abcd') });
    ok(disk, { op: 'fsync', path: 'a' });
    ok(disk, { op: 'append', path: 'a', data: bytes('ef') });
    ok(disk, { op: 'fsyncDir', dir: '' });
    expect(disk.summary().files).toEqual([
      { path: 'a', sizeBytes: 6, durableSizeBytes: 4, dirtyBytes: 2, pendingOps: 1, nameDurable: true },
      { path: 'z', sizeBytes: 0, durableSizeBytes: 0, dirtyBytes: 0, pendingOps: 0, nameDurable: true },
    ]);
  });
});
