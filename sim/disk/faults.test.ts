// Proves each injected fault has the effect FAULTS.md describes: fsync EIO dropping dirty data
// (so the retried fsync succeeds with the data gone), ENOSPC, bit flips on read, misdirected
// writes, latent corruption, latency bounds, and the one-shot armed faults of the nemesis.

import { describe, expect, it } from 'vitest';
import { Rng } from '../rng/streams';
import { DEFAULT_DISK_CONFIG } from './config';
import { SimDisk } from './disk';
import { bytes, durableFile, fails, KEEP_ALL, LOSE_ALL, makeDisk, ok, readAll, text } from './testkit';

describe('fsync EIO', () => {
  it('drops the dirty writes, so the retried fsync succeeds with the data gone', () => {
    const disk = makeDisk();
    durableFile(disk, 'wal', 'committed;');
    ok(disk, { op: 'append', path: 'wal', data: bytes('pending;') });
    disk.arm({ kind: 'fsync-eio' });
    const failed = fails(disk, { op: 'fsync', path: 'wal' }, 'EIO');
    expect(failed.faults).toEqual([{ kind: 'fsync-eio', path: 'wal', cause: 'armed', fields: { droppedBytes: 8 } }]);
    // The page cache reverted to the durable image: the process's own write is gone.
    expect(text(readAll(disk, 'wal'))).toBe('committed;');
    expect(ok(disk, { op: 'fsync', path: 'wal' }).size).toBe(10);
    // Even a crash that keeps every unsynced write cannot bring it back: it was dropped.
    disk.crash(KEEP_ALL);
    expect(text(readAll(disk, 'wal'))).toBe('committed;');
    expect(disk.stats().faults['fsync-eio']).toBe(1);
  });

  it('reverts overwrites and truncates too, and frees the space the dirty bytes held', () => {
    const disk = makeDisk();
    durableFile(disk, 'f', 'abcdef');
    ok(disk, { op: 'write', path: 'f', offset: 1, data: bytes('XY') });
    ok(disk, { op: 'truncate', path: 'f', size: 2 });
    ok(disk, { op: 'append', path: 'f', data: bytes('0123456789') });
    disk.arm({ kind: 'fsync-eio', path: 'f' });
    fails(disk, { op: 'fsync', path: 'f' }, 'EIO');
    expect(text(readAll(disk, 'f'))).toBe('abcdef');
    expect(disk.summary().usedBytes).toBe(6);
  });

  it('fires at the configured rate: at 1 every fsync fails, at 0 none does', () => {
    const always = makeDisk({ faults: { fsyncEio: 1 } });
    ok(always, { op: 'create', path: 'f' });
    for (let i = 0; i < 5; i++) {
      ok(always, { op: 'append', path: 'f', data: bytes('x') });
      expect(fails(always, { op: 'fsync', path: 'f' }, 'EIO').faults[0]?.cause).toBe('rate');
    }
    const never = makeDisk({ faults: { fsyncEio: 0 } });
    ok(never, { op: 'create', path: 'f' });
    for (let i = 0; i < 5; i++) ok(never, { op: 'fsync', path: 'f' });
  });

  it('an armed EIO with a path waits for an fsync of that path', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'a' });
    ok(disk, { op: 'create', path: 'b' });
    disk.arm({ kind: 'fsync-eio', path: 'b' });
    ok(disk, { op: 'fsync', path: 'a' });
    fails(disk, { op: 'fsync', path: 'b' }, 'EIO');
    ok(disk, { op: 'fsync', path: 'b' });
  });
});

describe('injected ENOSPC', () => {
  it('fails the write with nothing changed although space remains', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    disk.arm({ kind: 'enospc' });
    const failed = fails(disk, { op: 'append', path: 'f', data: bytes('abc') }, 'ENOSPC');
    expect(failed.faults).toEqual([{ kind: 'enospc', path: 'f', cause: 'armed', fields: { requestedBytes: 3 } }]);
    expect(ok(disk, { op: 'stat', path: 'f' }).size).toBe(0);
    expect(ok(disk, { op: 'append', path: 'f', data: bytes('abc') }).size).toBe(3);
  });

  it('at rate 1 fails every write and append', () => {
    const disk = makeDisk({ faults: { enospc: 1 } });
    ok(disk, { op: 'create', path: 'f' });
    fails(disk, { op: 'append', path: 'f', data: bytes('a') }, 'ENOSPC');
    fails(disk, { op: 'write', path: 'f', offset: 0, data: bytes('a') }, 'ENOSPC');
    expect(disk.stats().faults.enospc).toBe(2);
  });
});

describe('bit flip on read', () => {
  it('returns exactly the reported bit flipped, and a re-read is clean', () => {
    const disk = makeDisk();
    const content = 'the quick brown fox';
    durableFile(disk, 'f', content);
    disk.arm({ kind: 'bit-flip', path: 'f' });
    const { result, faults } = disk.execute({ op: 'read', path: 'f', offset: 4, length: 100 });
    expect(result.ok).toBe(true);
    const fault = faults[0];
    expect(fault?.kind).toBe('bit-flip');
    const got = result.ok ? (result.data as Uint8Array) : new Uint8Array(0);
    const want = bytes(content).subarray(4);
    const diffs = [...got].flatMap((value, i) => (value === want[i] ? [] : [{ offset: 4 + i, xor: value ^ (want[i] as number) }]));
    expect(diffs).toEqual([{ offset: fault?.fields['offset'], xor: 1 << (fault?.fields['bit'] ?? -1) }]);
    expect(text(readAll(disk, 'f'))).toBe(content);
  });

  it('at rate 1 flips every non-empty read; an empty read has nothing to flip', () => {
    const disk = makeDisk({ faults: { bitFlipOnRead: 1 } });
    durableFile(disk, 'f', 'abc');
    expect(text(readAll(disk, 'f'))).not.toBe('abc');
    expect(disk.execute({ op: 'read', path: 'f', offset: 3, length: 5 }).faults).toEqual([]);
  });
});

describe('misdirected write', () => {
  it('reads back correctly from the page cache but lands elsewhere in the durable image', () => {
    const disk = makeDisk();
    durableFile(disk, 'f', '................');
    disk.arm({ kind: 'misdirected-write', path: 'f' });
    const { faults } = disk.execute({ op: 'write', path: 'f', offset: 0, data: bytes('DATA') });
    const landsAt = faults[0]?.fields['landsAt'] ?? -1;
    expect(faults[0]).toMatchObject({ kind: 'misdirected-write', fields: { offset: 0, lengthBytes: 4 } });
    expect(landsAt).toBeGreaterThan(0);
    expect(landsAt).toBeLessThanOrEqual(12);
    expect(text(readAll(disk, 'f'))).toBe('DATA............');
    ok(disk, { op: 'fsync', path: 'f' });
    disk.crash(LOSE_ALL);
    const expected = '................'.split('');
    expected.splice(landsAt, 4, 'D', 'A', 'T', 'A');
    expect(text(readAll(disk, 'f'))).toBe(expected.join(''));
  });

  it('with no other place in the file it lands outside it: the file grows but holds zeros', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    disk.arm({ kind: 'misdirected-write' });
    const { faults } = disk.execute({ op: 'append', path: 'f', data: bytes('abc') });
    expect(faults[0]?.fields['landsAt']).toBe(-1);
    ok(disk, { op: 'fsync', path: 'f' });
    ok(disk, { op: 'fsyncDir', dir: '' });
    disk.crash(LOSE_ALL);
    expect([...readAll(disk, 'f')]).toEqual([0, 0, 0]);
  });

  it('a kept unsynced misdirected write also lands at the wrong offset at a crash', () => {
    const disk = makeDisk({ faults: { misdirectedWrite: 1 } });
    durableFile(disk, 'f', '');
    const first = disk.execute({ op: 'append', path: 'f', data: bytes('0123456789') });
    expect(first.faults[0]?.fields['landsAt']).toBe(-1);
    ok(disk, { op: 'fsync', path: 'f' });
    const second = disk.execute({ op: 'write', path: 'f', offset: 5, data: bytes('ab') });
    const landsAt = second.faults[0]?.fields['landsAt'] ?? -1;
    expect(landsAt).not.toBe(5);
    disk.crash(KEEP_ALL);
    const got = readAll(disk, 'f');
    expect(text(got.subarray(landsAt, landsAt + 2))).toBe('ab');
    expect([...got.subarray(0, 10)].filter((b) => b !== 0).length).toBeLessThanOrEqual(2);
  });
});

describe('latent corruption', () => {
  it('flips a durable bit that a later read of a clean byte sees', () => {
    const disk = makeDisk();
    durableFile(disk, 'f', 'AAAA');
    const corrupted = disk.corrupt('f', 2);
    expect(corrupted.ok).toBe(true);
    const bit = corrupted.ok ? (corrupted.fault.fields['bit'] as number) : -1;
    expect([...readAll(disk, 'f')]).toEqual([65, 65, 65 ^ (1 << bit), 65]);
    expect(disk.stats().faults['latent-corruption']).toBe(1);
  });

  it('is hidden under a dirty byte until a crash drops the page cache', () => {
    const disk = makeDisk();
    durableFile(disk, 'f', 'AAAA');
    ok(disk, { op: 'write', path: 'f', offset: 1, data: bytes('B') });
    const corrupted = disk.corrupt('f', 1);
    expect(text(readAll(disk, 'f'))).toBe('ABAA');
    disk.crash(LOSE_ALL);
    const bit = corrupted.ok ? (corrupted.fault.fields['bit'] as number) : -1;
    expect([...readAll(disk, 'f')]).toEqual([65, 65 ^ (1 << bit), 65, 65]);
  });

  it('refuses a missing file or an offset outside the durable image, as a value', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    ok(disk, { op: 'append', path: 'f', data: bytes('not yet durable') });
    expect(disk.corrupt('g', 0)).toEqual({ ok: false, detail: 'corrupt: no file g' });
    expect(disk.corrupt('f', 0).ok).toBe(false);
  });
});

describe('latency', () => {
  it('stays within base + [0, jitter], plus the fsync cost for fsync and fsyncDir', () => {
    const disk = makeDisk({ latency: { baseUs: 100, jitterUs: 50, fsyncUs: 1000 } });
    ok(disk, { op: 'create', path: 'f' });
    const plain: number[] = [];
    const synced: number[] = [];
    for (let i = 0; i < 400; i++) {
      plain.push(disk.execute({ op: 'append', path: 'f', data: bytes('x') }).latencyUs);
      synced.push(disk.execute(i % 2 === 0 ? { op: 'fsync', path: 'f' } : { op: 'fsyncDir', dir: '' }).latencyUs);
    }
    expect(Math.min(...plain)).toBe(100);
    expect(Math.max(...plain)).toBe(150);
    expect(Math.min(...synced)).toBe(1100);
    expect(Math.max(...synced)).toBe(1150);
    expect(plain.every(Number.isInteger)).toBe(true);
  });

  it('applies to failed operations too, and is exact without jitter', () => {
    const disk = makeDisk({ latency: { baseUs: 7, jitterUs: 0, fsyncUs: 3 } });
    expect(disk.execute({ op: 'stat', path: 'missing' }).latencyUs).toBe(7);
    expect(disk.execute({ op: 'fsyncDir', dir: '' }).latencyUs).toBe(10);
  });
});

describe('armed faults and randomness', () => {
  it('an armed fault fires once, survives a crash, and is cleared by a wipe', () => {
    const disk = makeDisk();
    ok(disk, { op: 'create', path: 'f' });
    disk.arm({ kind: 'enospc', path: 'g' });
    disk.arm({ kind: 'enospc', path: 'g' });
    disk.crash();
    durableFile(disk, 'g', '');
    fails(disk, { op: 'append', path: 'g', data: bytes('x') }, 'ENOSPC');
    expect(disk.summary().armed).toEqual([{ kind: 'enospc', path: 'g' }]);
    disk.wipe();
    expect(disk.summary().armed).toEqual([]);
    durableFile(disk, 'g', 'x');
  });

  it('a disk without faults or jitter draws nothing from its stream', () => {
    const rng = new Rng('untouched');
    const disk = new SimDisk({ ...DEFAULT_DISK_CONFIG, latency: { baseUs: 1, jitterUs: 0, fsyncUs: 1 } }, rng);
    durableFile(disk, 'f', 'abc');
    ok(disk, { op: 'append', path: 'f', data: bytes('def') });
    readAll(disk, 'f');
    disk.crash();
    expect(rng.next()).toBe(new Rng('untouched').next());
  });
});

describe('when an operation takes effect', () => {
  it('execute applies an fsync at issue: a crash before its completion still finds the data durable', () => {
    const disk = makeDisk();
    durableFile(disk, 'wal', 'a;');
    ok(disk, { op: 'append', path: 'wal', data: bytes('b;') });
    disk.execute({ op: 'fsync', path: 'wal' }); // completion not yet delivered by the host
    disk.crash(LOSE_ALL);
    expect(text(readAll(disk, 'wal'))).toBe('a;b;');
  });

  it('with latencyFor at issue and perform at completion, an fsync in flight at a crash is lost', () => {
    const disk = makeDisk();
    durableFile(disk, 'wal', 'a;');
    ok(disk, { op: 'append', path: 'wal', data: bytes('b;') });
    const fsync = { op: 'fsync', path: 'wal' } as const;
    expect(disk.latencyFor(fsync)).toBeGreaterThan(0); // issued; the host would perform it later
    disk.crash(LOSE_ALL); // ...but the power went first
    expect(text(readAll(disk, 'wal'))).toBe('a;');
  });

  it('perform then latencyFor is execute, draw for draw', () => {
    const config = { faults: { misdirectedWrite: 0.5, bitFlipOnRead: 0.5 }, latency: { jitterUs: 100 } };
    const whole = makeDisk(config, 'split');
    const split = makeDisk(config, 'split');
    const ops = [
      { op: 'create', path: 'f' },
      { op: 'append', path: 'f', data: bytes('0123456789') },
      { op: 'write', path: 'f', offset: 3, data: bytes('xyz') },
      { op: 'readAll', path: 'f' },
      { op: 'fsync', path: 'f' },
    ] as const;
    for (const op of ops) {
      const { result, faults } = split.perform(op);
      expect(whole.execute(op)).toEqual({ result, faults, latencyUs: split.latencyFor(op) });
    }
  });
});

