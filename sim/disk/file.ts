// One file of the simulated disk (an inode): its durable image and, on top of it, the writes and
// truncates not yet fsync'd, in the order they were issued. What a read sees (the page cache) is
// the durable image with those operations laid over it, so an fsync costs O(dirty bytes), an
// EIO drops the dirty state in O(1), and an append costs O(its bytes): its data is copied once
// into a per-file arena and its offsets pushed onto number columns, with no object per write.
// Knows nothing of names, randomness or faults: the disk decides those and tells the file what
// to keep. Must never let a pending operation reach the durable image except through sync or settle.

import { assert, assertInteger } from '../../src/util/assert';

/** An unsynced operation as the crash decisions see it. */
export interface PendingOp {
  readonly kind: 'write' | 'truncate';
  /** For a write, where it was asked to go; for a truncate, the new size. */
  readonly offset: number;
  /** For a write, its length; 0 for a truncate. */
  readonly lengthBytes: number;
}

/** The most operations a file may hold unsynced; a process that never fsyncs is a bug we want loud. */
export const PENDING_OPS_MAX = 1 << 24;

export class SimFile {
  /** The name this file has in the page cache's namespace, or null once deleted or replaced. */
  cacheName: string | null = null;
  /** The name this file has in the durable namespace, or null if no name of it was dir-synced. */
  durableName: string | null = null;

  private durable: Uint8Array = EMPTY;
  private durableSize = 0;
  private cacheSize = 0;

  // The pending log, one entry per unsynced operation, as parallel columns. A write's data sits in
  // the arena right after the data of the writes before it; a truncate has length TRUNCATE.
  private readonly opOffset: number[] = [];
  private readonly opLength: number[] = [];
  /** Where the device puts the write: its offset, another one if misdirected, -1 outside the file. */
  private readonly opLandsAt: number[] = [];
  private arena: Uint8Array = EMPTY;
  private arenaUsed = 0;

  /** The size a read sees. */
  get sizeBytes(): number {
    return this.cacheSize;
  }

  /** The size that survives a crash for certain. */
  get durableSizeBytes(): number {
    return this.durableSize;
  }

  /** Bytes written since the last sync (counting overwrites each time). */
  get dirtyBytes(): number {
    return this.arenaUsed;
  }

  get pendingCount(): number {
    return this.opOffset.length;
  }

  /** The unsynced operations, oldest first (materialised for a crash; never on a hot path). */
  pendingOps(): PendingOp[] {
    return this.opOffset.map((offset, i) => {
      const length = this.opLength[i] as number;
      return length === TRUNCATE
        ? { kind: 'truncate' as const, offset, lengthBytes: 0 }
        : { kind: 'write' as const, offset, lengthBytes: length };
    });
  }

  /** Records a write in the page cache. The data is copied: the caller may reuse its buffer. */
  write(offset: number, data: Uint8Array, landsAt: number): void {
    assertInteger(offset, 'write offset');
    assert(offset >= 0, `write offset ${offset} is negative`);
    assert(data.length > 0, 'an empty write is not recorded');
    assert(landsAt === -1 || (landsAt >= 0 && Number.isSafeInteger(landsAt)), `bad landing offset ${landsAt}`);
    assert(this.opOffset.length < PENDING_OPS_MAX, `more than ${PENDING_OPS_MAX} unsynced operations on one file`);
    this.ensureArena(this.arenaUsed + data.length);
    this.arena.set(data, this.arenaUsed);
    this.arenaUsed += data.length;
    this.opOffset.push(offset);
    this.opLength.push(data.length);
    this.opLandsAt.push(landsAt);
    this.cacheSize = Math.max(this.cacheSize, offset + data.length);
  }

  /** Records a size change in the page cache (shrinking, or extending with zeros). */
  truncate(sizeBytes: number): void {
    assertInteger(sizeBytes, 'truncate size');
    assert(sizeBytes >= 0, `truncate size ${sizeBytes} is negative`);
    assert(this.opOffset.length < PENDING_OPS_MAX, `more than ${PENDING_OPS_MAX} unsynced operations on one file`);
    this.opOffset.push(sizeBytes);
    this.opLength.push(TRUNCATE);
    this.opLandsAt.push(-1);
    this.cacheSize = sizeBytes;
  }

  /** The bytes [offset, offset + length) as the page cache shows them, clipped at the end of file. */
  read(offset: number, length: number): Uint8Array {
    assert(offset >= 0 && length >= 0, `read range ${offset}+${length} is negative`);
    const end = Math.min(offset + length, this.cacheSize);
    if (offset >= end) return new Uint8Array(0);
    const out = new Uint8Array(end - offset);
    const durableEnd = Math.min(end, this.durableSize);
    if (offset < durableEnd) out.set(this.durable.subarray(offset, durableEnd), 0);
    // Lay the unsynced operations over the durable bytes in issue order; O(pending + length).
    let arenaAt = 0;
    for (let i = 0; i < this.opOffset.length; i++) {
      const opOffset = this.opOffset[i] as number;
      const opLength = this.opLength[i] as number;
      if (opLength === TRUNCATE) {
        // Bytes cut by a truncate read as zeros if a later extension brings them back.
        if (opOffset < end) out.fill(0, Math.max(opOffset, offset) - offset);
        continue;
      }
      const lo = Math.max(offset, opOffset);
      const hi = Math.min(end, opOffset + opLength);
      if (lo < hi) out.set(this.arena.subarray(arenaAt + lo - opOffset, arenaAt + hi - opOffset), lo - offset);
      arenaAt += opLength;
    }
    assert(arenaAt === this.arenaUsed, 'read: the arena and the pending log disagree');
    return out;
  }

  /** fsync: every pending operation reaches the durable image as issued (or misdirected). Returns the bytes synced. */
  sync(): number {
    const syncedBytes = this.arenaUsed;
    let arenaAt = 0;
    for (let i = 0; i < this.opOffset.length; i++) {
      const opLength = this.opLength[i] as number;
      this.applyDurably(i, arenaAt, opLength === TRUNCATE ? 1 : opLength);
      if (opLength !== TRUNCATE) arenaAt += opLength;
    }
    this.clearPending();
    assert(this.durableSize === this.cacheSize, 'after a sync the durable size must equal the cached size');
    return syncedBytes;
  }

  /** fsync failed with EIO: the dirty state is dropped and the page cache shows the durable image again. */
  dropDirty(): number {
    const droppedBytes = this.arenaUsed;
    this.clearPending();
    this.cacheSize = this.durableSize;
    return droppedBytes;
  }

  /**
   * Power loss: for each pending operation (same order as pendingOps()) how much reaches the
   * durable image: for a write the number of leading bytes kept (0 lost, its length kept, in
   * between torn); for a truncate 0 (lost) or 1 (kept). Afterwards the page cache is the durable image.
   */
  settle(keptBytes: readonly number[]): void {
    assert(keptBytes.length === this.opOffset.length, 'settle needs one decision per pending operation');
    let arenaAt = 0;
    for (let i = 0; i < this.opOffset.length; i++) {
      const opLength = this.opLength[i] as number;
      const kept = keptBytes[i] as number;
      const limit = opLength === TRUNCATE ? 1 : opLength;
      assert(Number.isSafeInteger(kept) && kept >= 0 && kept <= limit, `settle: kept ${kept} of ${limit}`);
      if (kept > 0) this.applyDurably(i, arenaAt, kept);
      if (opLength !== TRUNCATE) arenaAt += opLength;
    }
    this.clearPending();
    this.cacheSize = this.durableSize;
  }

  /** Latent corruption: one bit of the durable image flips. Pre: offset inside the durable image. */
  flipDurableBit(offset: number, bit: number): void {
    assert(offset >= 0 && offset < this.durableSize, `corrupt offset ${offset} outside the durable image`);
    assert(Number.isInteger(bit) && bit >= 0 && bit < 8, `bit ${bit} outside a byte`);
    this.durable[offset] = (this.durable[offset] as number) ^ (1 << bit);
  }

  /** A copy of the durable image (for tests and summaries; never on a hot path). */
  durableBytes(): Uint8Array {
    return this.durable.slice(0, this.durableSize);
  }

  // -------------------------------------------------------------------------------------------

  /** Applies pending op `i` (its data at `arenaAt`) to the durable image, `kept` bytes of it (1 for a truncate). */
  private applyDurably(i: number, arenaAt: number, kept: number): void {
    const offset = this.opOffset[i] as number;
    if (this.opLength[i] === TRUNCATE) {
      this.resizeDurable(offset);
      return;
    }
    // The file's size grows as the write asked even when the data lands elsewhere: the size is
    // metadata, the misdirection happens to the data blocks.
    const end = offset + kept;
    if (end > this.durableSize) this.resizeDurable(end);
    const landsAt = this.opLandsAt[i] as number;
    if (landsAt < 0 || landsAt >= this.durableSize) return;
    const landedBytes = Math.min(kept, this.durableSize - landsAt);
    this.durable.set(this.arena.subarray(arenaAt, arenaAt + landedBytes), landsAt);
  }

  /** Shrinks, or grows with zeros; growth doubles the buffer so appends stay amortised O(bytes). */
  private resizeDurable(sizeBytes: number): void {
    if (sizeBytes > this.durable.length) {
      const grown = new Uint8Array(Math.max(sizeBytes, this.durable.length * 2, BUFFER_BYTES_MIN));
      grown.set(this.durable.subarray(0, this.durableSize));
      this.durable = grown;
    } else if (sizeBytes > this.durableSize) {
      // The buffer past the old size may hold bytes from before a shrink: they must read as zeros.
      this.durable.fill(0, this.durableSize, sizeBytes);
    }
    this.durableSize = sizeBytes;
  }

  private ensureArena(bytes: number): void {
    if (bytes <= this.arena.length) return;
    const grown = new Uint8Array(Math.max(bytes, this.arena.length * 2, BUFFER_BYTES_MIN));
    grown.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = grown;
  }

  private clearPending(): void {
    this.opOffset.length = 0;
    this.opLength.length = 0;
    this.opLandsAt.length = 0;
    this.arenaUsed = 0;
    // Keep a small arena for the next batch of writes; give a large one back to the heap.
    if (this.arena.length > ARENA_KEEP_BYTES_MAX) this.arena = EMPTY;
  }
}

// ---------------------------------------------------------------------------------------------

const EMPTY = new Uint8Array(0);
/**
 * The smallest buffer a file grows to. V8 keeps typed arrays of up to 64 bytes in its own heap and
 * gives larger ones a separately allocated backing store (several times dearer to make and to
 * free); the hard state's temporary file, written and renamed some 16 000 times in a 30 s run,
 * holds one frame of 43 bytes. Capacity is never visible: reads and sizes use the byte counts.
 */
const BUFFER_BYTES_MIN = 64;
const ARENA_KEEP_BYTES_MAX = 1 << 20;
/** The length column's mark for a truncate (a write is never empty, so -1 is free). */
const TRUNCATE = -1;
