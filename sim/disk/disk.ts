// The simulated disk of one node: a small file system with a page cache over a durable image,
// seeded faults, one-shot armed faults for the nemesis, and power loss. The host calls execute()
// for each DiskOp a process issues, delivers the result latencyUs later, and records the faults
// in the trace. The fault model is written down in FAULTS.md beside this file.
// Must never schedule, trace or read the wall clock, and never draw randomness from anything but
// the Rng it was given, in an order fixed by the operations (files walked in sorted path order).

import type { DiskErrorCode, DiskOp, DiskResult } from '../../src/host/contract';
import { assert, unreachable } from '../../src/util/assert';
import type { Rng } from '../rng/streams';
import { crashSplitProblem, validateDiskConfig } from './config';
import type { DiskConfig, DiskCrashConfig } from './config';
import { SimFile } from './file';
import { Namespace } from './namespace';
import { dirPathProblem, filePathProblem, joinPath } from './paths';

export type DiskOpKind = DiskOp['op'];

export type DiskFaultKind = 'fsync-eio' | 'enospc' | 'bit-flip' | 'misdirected-write' | 'latent-corruption';

/** A fault the disk injected, for the trace. */
export interface DiskFaultRecord {
  readonly kind: DiskFaultKind;
  readonly path: string;
  /** 'rate': drawn from the configured probability; 'armed': a one-shot fault set with arm() or corrupt(). */
  readonly cause: 'rate' | 'armed';
  /**
   * Facts by kind. fsync-eio: droppedBytes. enospc: requestedBytes. bit-flip: offset (in the
   * file), bit. misdirected-write: offset, landsAt (-1: outside the file), lengthBytes.
   * latent-corruption: offset, bit.
   */
  readonly fields: Readonly<Record<string, number>>;
}

/** A one-shot fault: it fires on the next operation it matches (and a path, if given), then is gone. */
export type ArmedFault =
  /** The next fsync fails with EIO and drops the file's dirty writes. */
  | { readonly kind: 'fsync-eio'; readonly path?: string }
  /** The next write or append fails with ENOSPC. */
  | { readonly kind: 'enospc'; readonly path?: string }
  /** The next read or readAll that returns at least one byte returns one bit flipped. */
  | { readonly kind: 'bit-flip'; readonly path?: string }
  /** The next non-empty write or append reaches the durable image at another offset. */
  | { readonly kind: 'misdirected-write'; readonly path?: string };

export interface DiskExecution {
  readonly result: DiskResult;
  /** How long after issue the host delivers the completion. */
  readonly latencyUs: number;
  readonly faults: readonly DiskFaultRecord[];
}

export type CorruptResult =
  | { readonly ok: true; readonly fault: DiskFaultRecord }
  | { readonly ok: false; readonly detail: string };

/** What a power loss did to one unsynced write. */
export interface CrashWriteOutcome {
  readonly path: string;
  readonly offset: number;
  readonly lengthBytes: number;
  readonly outcome: 'kept' | 'torn' | 'lost';
  readonly keptBytes: number;
}

export interface CrashReport {
  readonly keptWrites: number;
  readonly tornWrites: number;
  readonly lostWrites: number;
  readonly lostBytes: number;
  readonly keptTruncates: number;
  readonly lostTruncates: number;
  /** The first CRASH_REPORT_WRITES_MAX write outcomes: files in sorted path order, writes in issue order. */
  readonly writes: readonly CrashWriteOutcome[];
  /** Names visible before the crash and gone after it (created or renamed to, never dir-synced). */
  readonly vanished: readonly string[];
  /** Names not visible before the crash that are back after it (deleted or renamed away, never dir-synced). */
  readonly reappeared: readonly string[];
}

export interface DiskFileSummary {
  readonly path: string;
  readonly sizeBytes: number;
  readonly durableSizeBytes: number;
  readonly dirtyBytes: number;
  readonly pendingOps: number;
  /** Whether this name survives a crash (its directory was fsync'd since it appeared). */
  readonly nameDurable: boolean;
}

export interface DiskSummary {
  /** The files a process sees, sorted by path. */
  readonly files: readonly DiskFileSummary[];
  /** Durable names the process no longer sees (deleted or renamed away): a crash brings them back. */
  readonly ghosts: readonly { readonly path: string; readonly durableSizeBytes: number }[];
  readonly usedBytes: number;
  readonly capacityBytes: number;
  readonly armed: readonly ArmedFault[];
}

export interface DiskStats {
  readonly ops: Readonly<Record<DiskOpKind, number>>;
  readonly errors: Readonly<Record<DiskErrorCode, number>>;
  readonly faults: Readonly<Record<DiskFaultKind, number>>;
  readonly bytesWritten: number;
  readonly bytesRead: number;
  readonly bytesSynced: number;
  readonly crashes: number;
  readonly wipes: number;
}

/** At most this many files may be visible at once; one more create fails with ENOSPC (no inodes left). */
export const FILE_COUNT_MAX = 1 << 16;
/** At most this many one-shot faults wait at once. */
export const ARMED_FAULTS_MAX = 1024;
/** A crash report lists at most this many individual write outcomes (the counts cover all). */
export const CRASH_REPORT_WRITES_MAX = 256;

export class SimDisk {
  private readonly cache = new Namespace<SimFile>();
  private readonly durable = new Namespace<SimFile>();
  private armed: ArmedFault[] = [];
  /** Sum of the sizes of the files the page cache shows: what ENOSPC is measured against. */
  private usedBytes = 0;

  private readonly opCounts = zeroRecord<DiskOpKind>(OP_KINDS);
  private readonly errorCounts = zeroRecord<DiskErrorCode>(ERROR_CODES);
  private readonly faultCounts = zeroRecord<DiskFaultKind>(FAULT_KINDS);
  /** The faults of the operation being performed (see perform). */
  private readonly faultScratch: DiskFaultRecord[] = [];
  private bytesWritten = 0;
  private bytesRead = 0;
  private bytesSynced = 0;
  private crashes = 0;
  private wipes = 0;

  constructor(
    private readonly config: DiskConfig,
    private readonly rng: Rng,
  ) {
    const check = validateDiskConfig(config);
    assert(check.ok, `SimDisk given an invalid config: ${check.ok ? '' : check.errors.join('; ')}`);
  }

  /**
   * Runs one operation now against the page cache and draws its latency: the host delivers the
   * result latencyUs later. The operation takes effect at issue, so a crash before the delivery
   * still finds it done (see latencyFor/perform for the stricter alternative).
   */
  execute(op: DiskOp): DiskExecution {
    const { result, faults } = this.perform(op);
    return { result, latencyUs: this.latencyFor(op), faults };
  }

  /**
   * The two halves of execute, for a host that wants operations still in flight at a crash to
   * be lost (the device never got them): draw latencyFor(op) when the process issues the op, and
   * call perform(op) when that time has passed, in issue order. A crash in between drops the op,
   * so a node that acts on an fsync before its completion arrives can be caught.
   */
  latencyFor(op: DiskOp): number {
    const { baseUs, jitterUs, fsyncUs } = this.config.latency;
    const jitterDrawnUs = jitterUs > 0 ? this.rng.intBetween(0, jitterUs) : 0;
    const syncUs = op.op === 'fsync' || op.op === 'fsyncDir' ? fsyncUs : 0;
    const latencyUs = baseUs + jitterDrawnUs + syncUs;
    assert(Number.isSafeInteger(latencyUs) && latencyUs >= 0, `latency ${latencyUs} is not a duration`);
    return latencyUs;
  }

  /** Applies one operation to the page cache now; see latencyFor. */
  perform(op: DiskOp): { result: DiskResult; faults: readonly DiskFaultRecord[] } {
    this.opCounts[op.op] += 1;
    // Faults are rare: the operation records into a scratch list, copied out only when it holds one.
    const scratch = this.faultScratch;
    scratch.length = 0;
    const result = this.run(op, scratch);
    if (!result.ok) this.errorCounts[result.code] += 1;
    for (const fault of scratch) this.faultCounts[fault.kind] += 1;
    return { result, faults: scratch.length === 0 ? NO_FAULTS : scratch.slice() };
  }

  /**
   * Power loss. Files whose name was never dir-synced vanish with their data; the others keep
   * their durable image plus each unsynced write kept, torn or lost (drawn in sorted path order,
   * then issue order); unsynced name changes are undone. `policy` overrides the configured split
   * (a nemesis may want "lose everything unsynced").
   */
  crash(policy: DiskCrashConfig = this.config.crash): CrashReport {
    assert(crashSplitProblem(policy) === null, `crash policy: ${crashSplitProblem(policy) ?? ''}`);
    this.crashes += 1;
    const tally = new CrashTally();
    const visibleBefore = this.cache.sortedPaths();

    // Every file with unsynced operations, by path: the durably named ones survive, the others
    // (never dir-synced) vanish with their writes, which needs no draws.
    const files: { path: string; file: SimFile; survives: boolean }[] = [];
    for (const path of this.durable.sortedPaths()) files.push({ path, file: this.durable.get(path) as SimFile, survives: true });
    for (const path of visibleBefore) {
      const file = this.cache.get(path) as SimFile;
      if (file.durableName === null) files.push({ path, file, survives: false });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const { path, file, survives } of files) {
      const decisions = file.pendingOps().map((op) => {
        if (op.kind === 'truncate') return tally.truncate(survives && policy.keepUnsynced > 0 && this.rng.chance(policy.keepUnsynced));
        return tally.write(path, op.offset, op.lengthBytes, survives ? this.drawKeptBytes(op.lengthBytes, policy) : 0);
      });
      if (survives) file.settle(decisions);
    }

    this.cache.clear();
    this.usedBytes = 0;
    for (const path of this.durable.sortedPaths()) {
      const file = this.durable.get(path) as SimFile;
      this.cache.set(path, file);
      file.cacheName = path;
      this.usedBytes += file.sizeBytes;
    }
    const visibleAfter = this.cache.sortedPaths();
    return tally.report(sortedDifference(visibleBefore, visibleAfter), sortedDifference(visibleAfter, visibleBefore));
  }

  /** The disk is replaced by an empty one. Armed faults go with it; counters stay (they describe the slot). */
  wipe(): void {
    this.cache.clear();
    this.durable.clear();
    this.armed = [];
    this.usedBytes = 0;
    this.wipes += 1;
  }

  arm(fault: ArmedFault): void {
    assert(this.armed.length < ARMED_FAULTS_MAX, `more than ${ARMED_FAULTS_MAX} armed disk faults`);
    assert(fault.path === undefined || filePathProblem(fault.path) === null, `armed fault with bad path ${fault.path}`);
    this.armed.push(fault);
  }

  /**
   * Latent corruption: one bit (drawn) of the byte at `offset` flips in the durable image of the
   * file visible at `path` (or, failing that, durably named `path`). A later read of a clean byte
   * sees it; a byte the page cache holds dirty hides it until a crash or an EIO drops the cache.
   */
  corrupt(path: string, offset: number): CorruptResult {
    const file = this.cache.get(path) ?? this.durable.get(path);
    if (file === undefined) return { ok: false, detail: `corrupt: no file ${path}` };
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= file.durableSizeBytes) {
      return { ok: false, detail: `corrupt: offset ${offset} outside the ${file.durableSizeBytes} durable bytes of ${path}` };
    }
    const bit = this.rng.int(8);
    file.flipDurableBit(offset, bit);
    this.faultCounts['latent-corruption'] += 1;
    return { ok: true, fault: { kind: 'latent-corruption', path, cause: 'armed', fields: { offset, bit } } };
  }

  summary(): DiskSummary {
    const files = this.cache.sortedPaths().map((path): DiskFileSummary => {
      const file = this.cache.get(path) as SimFile;
      return {
        path,
        sizeBytes: file.sizeBytes,
        durableSizeBytes: file.durableSizeBytes,
        dirtyBytes: file.dirtyBytes,
        pendingOps: file.pendingCount,
        nameDurable: file.durableName === path,
      };
    });
    const ghosts = this.durable
      .sortedPaths()
      .filter((path) => this.cache.get(path) !== this.durable.get(path))
      .map((path) => ({ path, durableSizeBytes: (this.durable.get(path) as SimFile).durableSizeBytes }));
    return { files, ghosts, usedBytes: this.usedBytes, capacityBytes: this.config.capacityBytes, armed: this.armed.slice() };
  }

  stats(): DiskStats {
    return {
      ops: { ...this.opCounts },
      errors: { ...this.errorCounts },
      faults: { ...this.faultCounts },
      bytesWritten: this.bytesWritten,
      bytesRead: this.bytesRead,
      bytesSynced: this.bytesSynced,
      crashes: this.crashes,
      wipes: this.wipes,
    };
  }

  /**
   * Checks the disk's internal invariants (O(files)); for tests and for hosts that want to
   * verify after each step. Every name points at a file that knows it by that name, so no file
   * has two names in one tree; a clean file's two sizes agree; the used bytes are the sum of
   * the visible sizes.
   */
  assertInvariants(): void {
    let visibleBytes = 0;
    for (const path of this.cache.sortedPaths()) {
      const file = this.cache.get(path) as SimFile;
      assert(file.cacheName === path, `invariant: ${path} points at a file named ${file.cacheName} in the cache`);
      visibleBytes += file.sizeBytes;
    }
    for (const path of this.durable.sortedPaths()) {
      const file = this.durable.get(path) as SimFile;
      assert(file.durableName === path, `invariant: ${path} points at a file durably named ${file.durableName}`);
      assert(file.pendingCount > 0 || file.durableSizeBytes === file.sizeBytes, `invariant: ${path} is clean but its sizes differ`);
    }
    assert(visibleBytes === this.usedBytes, `invariant: used bytes ${this.usedBytes} but files hold ${visibleBytes}`);
  }

  // -------------------------------------------------------------------------------------------
  // Operations

  private run(op: DiskOp, faults: DiskFaultRecord[]): DiskResult {
    switch (op.op) {
      case 'create':
        return this.create(op.path);
      case 'write':
        return this.write(op.path, op.offset, op.data, faults);
      case 'append':
        return this.write(op.path, null, op.data, faults);
      case 'read':
        return this.read(op.path, op.offset, op.length, faults);
      case 'readAll':
        return this.read(op.path, 0, null, faults);
      case 'truncate':
        return this.truncate(op.path, op.size);
      case 'fsync':
        return this.fsync(op.path, faults);
      case 'fsyncDir':
        return this.fsyncDir(op.dir);
      case 'rename':
        return this.rename(op.from, op.to);
      case 'delete':
        return this.delete(op.path);
      case 'list':
        return this.list(op.dir);
      case 'stat':
        return this.stat(op.path);
      default:
        return unreachable(op, 'disk op');
    }
  }

  private create(path: string): DiskResult {
    const problem = this.newNameProblem(path);
    if (problem !== null) return problem;
    if (this.cache.has(path)) return fail('EEXIST', `${path} exists`);
    if (this.cache.fileCount >= FILE_COUNT_MAX) return fail('ENOSPC', `no inodes left: ${FILE_COUNT_MAX} files exist`);
    const file = new SimFile();
    file.cacheName = path;
    this.cache.set(path, file);
    return { ok: true, size: 0 };
  }

  /** write (offset given) and append (offset null: the end of the file). */
  private write(path: string, offsetOrEnd: number | null, data: Uint8Array, faults: DiskFaultRecord[]): DiskResult {
    const found = this.existing(path);
    if (!(found instanceof SimFile)) return found;
    const file = found;
    const offset = offsetOrEnd ?? file.sizeBytes;
    if (!isByteCount(offset)) return fail('EINVAL', `write offset ${offset} is not a byte offset >= 0`);
    if (data.length === 0) return { ok: true, size: file.sizeBytes, offset };
    const newSize = Math.max(file.sizeBytes, offset + data.length);
    const growthBytes = newSize - file.sizeBytes;
    if (this.usedBytes + growthBytes > this.config.capacityBytes) {
      return fail('ENOSPC', `writing ${data.length} bytes to ${path} needs ${growthBytes} more; ${this.config.capacityBytes - this.usedBytes} free`);
    }
    const enospc = this.fire('enospc', path, this.config.faults.enospc);
    if (enospc !== null) {
      faults.push({ kind: 'enospc', path, cause: enospc, fields: { requestedBytes: data.length } });
      return fail('ENOSPC', `injected: no space for ${data.length} bytes on ${path}`);
    }
    let landsAt = offset;
    const misdirect = this.fire('misdirected-write', path, this.config.faults.misdirectedWrite);
    if (misdirect !== null) {
      landsAt = this.drawLanding(offset, data.length, newSize);
      faults.push({ kind: 'misdirected-write', path, cause: misdirect, fields: { offset, landsAt, lengthBytes: data.length } });
    }
    file.write(offset, data, landsAt);
    this.usedBytes += growthBytes;
    this.bytesWritten += data.length;
    assert(file.sizeBytes === newSize, 'write: file size disagrees with the computed size');
    return { ok: true, size: newSize, offset };
  }

  /** read (length given) and readAll (length null: the whole file). */
  private read(path: string, offset: number, lengthOrAll: number | null, faults: DiskFaultRecord[]): DiskResult {
    const found = this.existing(path);
    if (!(found instanceof SimFile)) return found;
    const length = lengthOrAll ?? found.sizeBytes;
    if (!isByteCount(offset)) return fail('EINVAL', `read offset ${offset} is not a byte offset >= 0`);
    if (!isByteCount(length)) return fail('EINVAL', `read length ${length} is not a byte count >= 0`);
    const data = found.read(offset, length);
    this.bytesRead += data.length;
    if (data.length > 0) {
      const flip = this.fire('bit-flip', path, this.config.faults.bitFlipOnRead);
      if (flip !== null) {
        const index = this.rng.int(data.length);
        const bit = this.rng.int(8);
        data[index] = (data[index] as number) ^ (1 << bit);
        faults.push({ kind: 'bit-flip', path, cause: flip, fields: { offset: offset + index, bit } });
      }
    }
    return { ok: true, data, size: found.sizeBytes };
  }

  private truncate(path: string, sizeBytes: number): DiskResult {
    const found = this.existing(path);
    if (!(found instanceof SimFile)) return found;
    if (!isByteCount(sizeBytes)) return fail('EINVAL', `truncate size ${sizeBytes} is not a byte count >= 0`);
    const growthBytes = sizeBytes - found.sizeBytes;
    if (growthBytes === 0) return { ok: true, size: sizeBytes };
    if (this.usedBytes + growthBytes > this.config.capacityBytes) {
      return fail('ENOSPC', `extending ${path} to ${sizeBytes} bytes needs ${growthBytes} more; ${this.config.capacityBytes - this.usedBytes} free`);
    }
    found.truncate(sizeBytes);
    this.usedBytes += growthBytes;
    return { ok: true, size: sizeBytes };
  }

  private fsync(path: string, faults: DiskFaultRecord[]): DiskResult {
    const found = this.existing(path);
    if (!(found instanceof SimFile)) return found;
    const eio = this.fire('fsync-eio', path, this.config.faults.fsyncEio);
    if (eio !== null) {
      // Linux: the dirty pages are marked clean and forgotten; the next fsync has nothing to fail on.
      const sizeBefore = found.sizeBytes;
      const droppedBytes = found.dropDirty();
      this.usedBytes += found.sizeBytes - sizeBefore;
      faults.push({ kind: 'fsync-eio', path, cause: eio, fields: { droppedBytes } });
      return fail('EIO', `injected: fsync of ${path} failed; ${droppedBytes} dirty bytes dropped`);
    }
    this.bytesSynced += found.sync();
    return { ok: true, size: found.sizeBytes };
  }

  private fsyncDir(dir: string): DiskResult {
    const problem = dirPathProblem(dir);
    if (problem !== null) return fail('EINVAL', problem);
    if (this.cache.has(dir)) return fail('EINVAL', `${dir} is a file, not a directory`);
    for (const name of this.cache.namesIn(dir)) {
      const path = joinPath(dir, name);
      this.makeNameDurable(path, this.cache.get(path) as SimFile);
    }
    for (const name of this.durable.namesIn(dir)) {
      const path = joinPath(dir, name);
      const file = this.durable.get(path);
      if (file === undefined || this.cache.get(path) === file) continue;
      if (file.cacheName !== null) {
        // Renamed out of this directory: a rename is committed whole, so its new name goes too.
        this.makeNameDurable(file.cacheName, file);
      } else {
        this.durable.remove(path);
        file.durableName = null;
      }
    }
    return { ok: true };
  }

  private rename(from: string, to: string): DiskResult {
    const found = this.existing(from);
    if (!(found instanceof SimFile)) return found;
    if (from === to) return { ok: true, size: found.sizeBytes };
    const problem = this.newNameProblem(to);
    if (problem !== null) return problem;
    const replaced = this.cache.get(to);
    if (replaced !== undefined) {
      this.cache.remove(to);
      replaced.cacheName = null;
      this.usedBytes -= replaced.sizeBytes;
    }
    this.cache.remove(from);
    this.cache.set(to, found);
    found.cacheName = to;
    return { ok: true, size: found.sizeBytes };
  }

  private delete(path: string): DiskResult {
    const found = this.existing(path);
    if (!(found instanceof SimFile)) return found;
    this.cache.remove(path);
    found.cacheName = null;
    this.usedBytes -= found.sizeBytes;
    assert(this.usedBytes >= 0, 'used bytes went negative');
    return { ok: true };
  }

  private list(dir: string): DiskResult {
    const problem = dirPathProblem(dir);
    if (problem !== null) return fail('EINVAL', problem);
    if (this.cache.has(dir)) return fail('EINVAL', `${dir} is a file, not a directory`);
    return { ok: true, names: this.cache.namesIn(dir) };
  }

  private stat(path: string): DiskResult {
    const found = this.existing(path);
    if (!(found instanceof SimFile)) return found;
    return { ok: true, size: found.sizeBytes };
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  /** The visible file at `path`, or the error to return. */
  private existing(path: string): SimFile | DiskResult {
    const problem = filePathProblem(path);
    if (problem !== null) return fail('EINVAL', problem);
    return this.cache.get(path) ?? fail('ENOENT', `no file ${path}`);
  }

  /** Why `path` cannot name a new file (create, rename target), or null. */
  private newNameProblem(path: string): DiskResult | null {
    const problem = filePathProblem(path);
    if (problem !== null) return fail('EINVAL', problem);
    if (this.cache.isDirectory(path)) return fail('EEXIST', `${path} is a directory`);
    const fileAbove = this.cache.fileAncestor(path);
    if (fileAbove !== null) return fail('EINVAL', `${fileAbove} is a file, not a directory`);
    return null;
  }

  /**
   * Commits `file`'s page-cache name `path` to the durable namespace: its old durable name goes
   * (a rename is one change), and a file it displaces there whose own rename is still pending is
   * committed too, so no crash can leave a file under two names or a renamed file under none.
   */
  private makeNameDurable(path: string, file: SimFile): void {
    assert(file.cacheName === path, `makeNameDurable: ${path} is not the cache name of its file`);
    if (file.durableName === path) return;
    if (file.durableName !== null) this.durable.remove(file.durableName);
    const displaced = this.durable.set(path, file);
    file.durableName = path;
    if (displaced === undefined || displaced === file) return;
    displaced.durableName = null;
    // Recursion ends: each call fixes one file's durable name to its unique cache name for good.
    if (displaced.cacheName !== null) this.makeNameDurable(displaced.cacheName, displaced);
  }

  /** Whether a fault fires on this operation: an armed one first (consumed), else a draw at `rate`. */
  private fire(kind: ArmedFault['kind'], path: string, rate: number): 'armed' | 'rate' | null {
    if (this.armed.length > 0) {
      const index = this.armed.findIndex((fault) => fault.kind === kind && (fault.path === undefined || fault.path === path));
      if (index >= 0) {
        this.armed.splice(index, 1);
        return 'armed';
      }
    }
    // A zero rate draws nothing, so a fault-free run's stream is not spent on faults.
    if (rate > 0 && this.rng.chance(rate)) return 'rate';
    return null;
  }

  /** Where a misdirected write lands: another offset inside the file, or -1 when there is none. */
  private drawLanding(offset: number, lengthBytes: number, fileSizeBytes: number): number {
    const positions = fileSizeBytes - lengthBytes + 1;
    assert(offset < positions, 'drawLanding: the intended offset must be a position');
    if (positions < 2) return -1;
    const landsAt = this.rng.int(positions - 1);
    return landsAt >= offset ? landsAt + 1 : landsAt;
  }

  /** How many leading bytes of an unsynced write a crash keeps: all, a torn prefix, or none. */
  private drawKeptBytes(lengthBytes: number, policy: DiskCrashConfig): number {
    if (policy.keepUnsynced + policy.tearUnsynced === 0) return 0;
    const draw = this.rng.next();
    if (draw < policy.keepUnsynced) return lengthBytes;
    if (draw < policy.keepUnsynced + policy.tearUnsynced && lengthBytes >= 2) {
      return this.rng.intBetween(1, lengthBytes - 1);
    }
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------

/** What perform returns when the operation met no fault (shared, never written). */
const NO_FAULTS: readonly DiskFaultRecord[] = [];

const OP_KINDS: readonly DiskOpKind[] = [
  'create', 'write', 'append', 'read', 'readAll', 'truncate', 'fsync', 'fsyncDir', 'rename', 'delete', 'list', 'stat',
];
const ERROR_CODES: readonly DiskErrorCode[] = ['EIO', 'ENOSPC', 'ENOENT', 'EEXIST', 'EINVAL'];
const FAULT_KINDS: readonly DiskFaultKind[] = ['fsync-eio', 'enospc', 'bit-flip', 'misdirected-write', 'latent-corruption'];

function fail(code: DiskErrorCode, detail: string): DiskResult {
  return { ok: false, code, detail };
}

function isByteCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function zeroRecord<K extends string>(keys: readonly K[]): Record<K, number> {
  const record = {} as Record<K, number>;
  for (const key of keys) record[key] = 0;
  return record;
}

/** Elements of sorted `a` not in sorted `b`, sorted. */
function sortedDifference(a: readonly string[], b: readonly string[]): string[] {
  const inB = new Set(b);
  return a.filter((item) => !inB.has(item));
}

/** Counts of a crash's outcomes, with the first few write outcomes listed. */
class CrashTally {
  private keptWrites = 0;
  private tornWrites = 0;
  private lostWrites = 0;
  private lostBytes = 0;
  private keptTruncates = 0;
  private lostTruncates = 0;
  private readonly writes: CrashWriteOutcome[] = [];

  /** Records a write's fate; returns keptBytes for chaining into settle(). */
  write(path: string, offset: number, lengthBytes: number, keptBytes: number): number {
    const outcome = keptBytes === lengthBytes ? 'kept' : keptBytes === 0 ? 'lost' : 'torn';
    if (outcome === 'kept') this.keptWrites += 1;
    else if (outcome === 'torn') this.tornWrites += 1;
    else this.lostWrites += 1;
    this.lostBytes += lengthBytes - keptBytes;
    if (this.writes.length < CRASH_REPORT_WRITES_MAX) this.writes.push({ path, offset, lengthBytes, outcome, keptBytes });
    return keptBytes;
  }

  /** Records a truncate's fate; returns 1 (kept) or 0 (lost) for settle(). */
  truncate(kept: boolean): number {
    if (kept) this.keptTruncates += 1;
    else this.lostTruncates += 1;
    return kept ? 1 : 0;
  }

  report(vanished: string[], reappeared: string[]): CrashReport {
    return {
      keptWrites: this.keptWrites,
      tornWrites: this.tornWrites,
      lostWrites: this.lostWrites,
      lostBytes: this.lostBytes,
      keptTruncates: this.keptTruncates,
      lostTruncates: this.lostTruncates,
      writes: this.writes,
      vanished,
      reappeared,
    };
  }
}
