// Properties over random operation sequences (fast-check): the page cache behaves like a plain
// in-memory file system; after a crash every byte fsync'd (file and directory) reads back the
// same when no fault is armed, whatever the crash policy; and the same seed gives the same disk.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiskOp } from '../../src/host/contract';
import { Rng } from '../rng/streams';
import { validateDiskConfig } from './config';
import { SimDisk } from './disk';

const PATHS = ['a', 'b', 'd/a', 'd/b'] as const;
const DIRS = ['', 'd'] as const;

const pathArb = fc.constantFrom(...PATHS);
const dataArb = fc.uint8Array({ minLength: 1, maxLength: 12 });

const opArb: fc.Arbitrary<DiskOp> = fc.oneof(
  { arbitrary: pathArb.map((path): DiskOp => ({ op: 'create', path })), weight: 3 },
  { arbitrary: fc.record({ path: pathArb, offset: fc.nat(40), data: dataArb }).map((r): DiskOp => ({ op: 'write', ...r })), weight: 3 },
  { arbitrary: fc.record({ path: pathArb, data: dataArb }).map((r): DiskOp => ({ op: 'append', ...r })), weight: 4 },
  { arbitrary: fc.record({ path: pathArb, size: fc.nat(40) }).map((r): DiskOp => ({ op: 'truncate', ...r })), weight: 1 },
  { arbitrary: pathArb.map((path): DiskOp => ({ op: 'fsync', path })), weight: 3 },
  { arbitrary: fc.constantFrom(...DIRS).map((dir): DiskOp => ({ op: 'fsyncDir', dir })), weight: 2 },
  { arbitrary: fc.record({ from: pathArb, to: pathArb }).map((r): DiskOp => ({ op: 'rename', ...r })), weight: 1 },
  { arbitrary: pathArb.map((path): DiskOp => ({ op: 'delete', path })), weight: 1 },
  { arbitrary: fc.record({ path: pathArb, offset: fc.nat(40), length: fc.nat(20) }).map((r): DiskOp => ({ op: 'read', ...r })), weight: 1 },
);

const crashPolicyArb = fc
  .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([keep, share]) => ({ keepUnsynced: keep, tearUnsynced: (1 - keep) * share }));

describe('SimDisk properties', () => {
  it('the page cache behaves like a plain in-memory file system', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const disk = newDisk({}, 'model');
        const model = new CacheModel();
        for (const op of ops) {
          const { result } = disk.execute(op);
          disk.assertInvariants();
          const expected = model.apply(op);
          expect(result.ok ? 'ok' : result.code).toBe(expected.code);
          if (op.op === 'read' && result.ok) expect([...(result.data ?? [])]).toEqual(expected.data);
        }
        for (const path of PATHS) expect(readOrNull(disk, path)).toEqual(model.content(path));
      }),
      { numRuns: 300 },
    );
  });

  it('every byte fsync’d (file and directory) before a crash reads back the same after it', () => {
    // Several epochs, each ended by a crash: after a crash everything visible is durable, so the
    // models restart from what the disk shows.
    const epochsArb = fc.array(fc.tuple(fc.array(opArb, { maxLength: 40 }), crashPolicyArb), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(epochsArb, fc.nat(), (epochs, seed) => {
        const disk = newDisk({}, `durable-${seed}`);
        let model = new CacheModel();
        let durability = new DurabilityModel();
        for (const [ops, policy] of epochs) {
          for (const op of ops) {
            const expected = model.apply(op);
            const { result } = disk.execute(op);
            expect(result.ok ? 'ok' : result.code).toBe(expected.code);
            if (result.ok) durability.observe(op, model);
          }
          disk.crash(policy);
          disk.assertInvariants();
          for (const [path, promise] of durability.promises()) {
            const got = readOrNull(disk, path);
            expect(got, `${path} was dir-synced and must exist`).not.toBeNull();
            for (const [index, value] of promise) expect(got?.[index], `${path}[${index}]`).toBe(value);
          }
          model = CacheModel.of(disk);
          durability = DurabilityModel.everythingIn(model);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('with every fault switched on, armed and crashed at random, no operation breaks an invariant', () => {
    type Step =
      | { kind: 'op'; op: DiskOp }
      | { kind: 'arm'; fault: 'fsync-eio' | 'enospc' | 'bit-flip' | 'misdirected-write'; path: string | undefined }
      | { kind: 'corrupt'; path: string; offset: number }
      | { kind: 'crash' };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      { arbitrary: opArb.map((op): Step => ({ kind: 'op', op })), weight: 12 },
      {
        arbitrary: fc
          .record({ fault: fc.constantFrom('fsync-eio', 'enospc', 'bit-flip', 'misdirected-write'), path: fc.option(pathArb, { nil: undefined }) })
          .map((r): Step => ({ kind: 'arm', ...r })),
        weight: 1,
      },
      { arbitrary: fc.record({ path: pathArb, offset: fc.nat(40) }).map((r): Step => ({ kind: 'corrupt', ...r })), weight: 1 },
      { arbitrary: fc.constant<Step>({ kind: 'crash' }), weight: 1 },
    );
    const faultyConfig = {
      capacityBytes: 64,
      faults: { fsyncEio: 0.2, enospc: 0.1, bitFlipOnRead: 0.3, misdirectedWrite: 0.3 },
      crash: { keepUnsynced: 0.3, tearUnsynced: 0.4 },
    };
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), fc.nat(), (steps, seed) => {
        const disk = newDisk(faultyConfig, `robust-${seed}`);
        let usedBefore = 0;
        for (const step of steps) {
          if (step.kind === 'op') {
            const { result } = disk.execute(step.op);
            if (!result.ok) expect(['EIO', 'ENOSPC', 'ENOENT', 'EEXIST']).toContain(result.code);
          } else if (step.kind === 'arm') {
            disk.arm(step.path === undefined ? { kind: step.fault } : { kind: step.fault, path: step.path });
          } else if (step.kind === 'corrupt') {
            disk.corrupt(step.path, step.offset);
          } else {
            disk.crash();
          }
          disk.assertInvariants();
          const { usedBytes, capacityBytes, files } = disk.summary();
          expect(usedBytes).toBe(files.reduce((sum, file) => sum + file.sizeBytes, 0));
          // Only a crash may bring back more than fits (deleted files reappear); no op may add to that.
          if (step.kind !== 'crash' && usedBytes > capacityBytes) expect(usedBytes).toBeLessThanOrEqual(usedBefore);
          usedBefore = usedBytes;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the same seed gives the same disk twice, faults and crash included', () => {
    const faultyConfig = {
      latency: { baseUs: 5, jitterUs: 40, fsyncUs: 100 },
      faults: { fsyncEio: 0.1, enospc: 0.05, bitFlipOnRead: 0.2, misdirectedWrite: 0.1 },
      crash: { keepUnsynced: 0.3, tearUnsynced: 0.4 },
    };
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.nat(), (ops, seed) => {
        const runOnce = (): unknown => {
          const disk = newDisk(faultyConfig, `twice-${seed}`);
          const executions = ops.map((op) => disk.execute(op));
          const report = disk.crash();
          disk.assertInvariants();
          const after = PATHS.map((path) => readOrNull(disk, path));
          return { executions, report, after, summary: disk.summary(), stats: disk.stats() };
        };
        expect(runOnce()).toEqual(runOnce());
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

function newDisk(overrides: unknown, seed: string): SimDisk {
  const checked = validateDiskConfig(overrides);
  if (!checked.ok) throw new Error(checked.errors.join('; '));
  return new SimDisk(checked.config, new Rng(seed));
}

function readOrNull(disk: SimDisk, path: string): number[] | null {
  const { result } = disk.execute({ op: 'readAll', path });
  return result.ok ? [...(result.data ?? [])] : null;
}

interface ModelFile {
  readonly id: number;
  content: number[];
}

/** A plain file system with no durability at all: what the page cache must look like. */
class CacheModel {
  readonly files = new Map<string, ModelFile>();
  private nextId = 1;

  apply(op: DiskOp): { code: string; data?: number[] } {
    switch (op.op) {
      case 'create':
        if (this.files.has(op.path)) return { code: 'EEXIST' };
        this.files.set(op.path, { id: this.nextId++, content: [] });
        return { code: 'ok' };
      case 'write':
      case 'append': {
        const file = this.files.get(op.path);
        if (file === undefined) return { code: 'ENOENT' };
        const offset = op.op === 'write' ? op.offset : file.content.length;
        while (file.content.length < offset) file.content.push(0);
        op.data.forEach((value, i) => (file.content[offset + i] = value));
        return { code: 'ok' };
      }
      case 'truncate': {
        const file = this.files.get(op.path);
        if (file === undefined) return { code: 'ENOENT' };
        file.content.length = Math.min(file.content.length, op.size);
        while (file.content.length < op.size) file.content.push(0);
        return { code: 'ok' };
      }
      case 'read': {
        const file = this.files.get(op.path);
        if (file === undefined) return { code: 'ENOENT' };
        return { code: 'ok', data: file.content.slice(op.offset, op.offset + op.length) };
      }
      case 'fsync':
      case 'delete':
        if (!this.files.has(op.path)) return { code: 'ENOENT' };
        if (op.op === 'delete') this.files.delete(op.path);
        return { code: 'ok' };
      case 'rename': {
        const file = this.files.get(op.from);
        if (file === undefined) return { code: 'ENOENT' };
        this.files.delete(op.from);
        this.files.set(op.to, file);
        return { code: 'ok' };
      }
      case 'fsyncDir':
        return { code: 'ok' };
      default:
        return { code: 'mismatch' };
    }
  }

  /** A model of what the disk shows now, each file with a fresh id. */
  static of(disk: SimDisk): CacheModel {
    const model = new CacheModel();
    for (const path of PATHS) {
      const content = readOrNull(disk, path);
      if (content !== null) model.files.set(path, { id: model.nextId++, content });
    }
    return model;
  }

  content(path: string): number[] | null {
    return this.files.get(path)?.content.slice() ?? null;
  }
}

/**
 * What a crash must preserve, conservatively: a name is promised from the fsyncDir of its
 * directory until any later create, rename or delete touches it; a byte of a file is promised
 * from the file's fsync until any later write or truncate touches it.
 */
class DurabilityModel {
  /** path -> file id, for names dir-synced and untouched since. */
  private readonly names = new Map<string, number>();
  /** file id -> byte index -> value, for bytes fsync'd and untouched since. */
  private readonly bytes = new Map<number, Map<number, number>>();

  /** Every name and byte of the model promised (true right after a crash). */
  static everythingIn(model: CacheModel): DurabilityModel {
    const durability = new DurabilityModel();
    for (const [path, file] of model.files) {
      durability.names.set(path, file.id);
      durability.bytes.set(file.id, new Map(file.content.map((value, index) => [index, value])));
    }
    return durability;
  }

  /** Called after a successful op, with the cache model already updated. */
  observe(op: DiskOp, model: CacheModel): void {
    switch (op.op) {
      case 'create':
      case 'delete':
        this.names.delete(op.path);
        return;
      case 'rename':
        this.names.delete(op.from);
        this.names.delete(op.to);
        return;
      case 'fsyncDir':
        for (const [path, file] of model.files) if (dirOf(path) === op.dir) this.names.set(path, file.id);
        return;
      case 'fsync': {
        const file = model.files.get(op.path) as ModelFile;
        this.bytes.set(file.id, new Map(file.content.map((value, index) => [index, value])));
        return;
      }
      case 'write':
      case 'append': {
        const file = model.files.get(op.path) as ModelFile;
        const promised = this.bytes.get(file.id);
        const end = file.content.length;
        const offset = op.op === 'write' ? op.offset : end - op.data.length;
        for (let i = offset; i < offset + op.data.length; i++) promised?.delete(i);
        return;
      }
      case 'truncate': {
        const promised = this.bytes.get((model.files.get(op.path) as ModelFile).id);
        for (const index of [...(promised?.keys() ?? [])]) if (index >= op.size) promised?.delete(index);
        return;
      }
      default:
        return;
    }
  }

  /** For each promised name, the promised bytes of its file. */
  promises(): [string, Map<number, number>][] {
    return [...this.names].map(([path, id]) => [path, this.bytes.get(id) ?? new Map()]);
  }
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
