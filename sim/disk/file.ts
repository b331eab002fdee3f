// One file of the simulated disk (an inode): its durable image and, on top of it, the writes and
// truncates not yet fsync'd, in the order they were issued. What a read sees (the page cache) is
// the durable image with those operations laid over it, so an fsync costs O(dirty bytes), an
// EIO drops the dirty state in O(1), and an append costs O(its bytes). Knows nothing of names,
// randomness or faults: the disk decides those and tells the file what to keep.
// Must never let a pending operation reach the durable image except through sync or settle.

import { assert, assertInteger } from '../../src/util/assert';

/** A write the page cache holds. `landsAt` is where the device will put it: `offset` unless the
    write was misdirected, -1 when it was misdirected outside the file (it never lands). */
export interface PendingWrite {
  readonly kind: 'write';
  readonly offset: number;
  readonly data: Uint8Array;
  readonly landsAt: number;
}

/** A size change the page cache holds (shrinking or extending with zeros). */
export interface PendingTruncate {
  readonly kind: 'truncate';
  readonly size: number;
}

export type PendingOp = PendingWrite | PendingTruncate;

/** The most operations a file may hold unsynced; a process that never fsyncs is a bug we want loud. */
export const PENDING_OPS_MAX = 1 << 24;

export class SimFile {
  /** The name this file has in the page cache's namespace, or null once deleted or replaced. */
  cacheName: string | null = null;
  /** The name this file has in the durable namespace, or null if no name of it was dir-synced. */
  durableName: string | null = null;

  private durable: Uint8Array = EMPTY;
  private durableSize = 0;
  private pending: PendingOp[] = [];
  private cacheSize = 0;
  private dirtyWriteBytes = 0;

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
    return this.dirtyWriteBytes;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** The unsynced operations, oldest first (read-only view for the crash decisions). */
  pendingOps(): readonly PendingOp[] {
    return this.pending;
  }

  /** Records a write in the page cache. The data is copied: the caller may reuse its buffer. */
  write(offset: number, data: Uint8Array, landsAt: number): void {
    assertInteger(offset, 'write offset');
    assert(offset >= 0, `write offset ${offset} is negative`);
    assert(data.length > 0, 'an empty write is not recorded');
    assert(landsAt === -1 || (landsAt >= 0 && Number.isSafeInteger(landsAt)), `bad landing offset ${landsAt}`);
    assert(this.pending.length < PENDING_OPS_MAX, `more than ${PENDING_OPS_MAX} unsynced operations on one file`);
    this.pending.push({ kind: 'write', offset, data: data.slice(), landsAt });
    this.cacheSize = Math.max(this.cacheSize, offset + data.length);
    this.dirtyWriteBytes += data.length;
  }

  /** Records a size change in the page cache. */
  truncate(sizeBytes: number): void {
    assertInteger(sizeBytes, 'truncate size');
    assert(sizeBytes >= 0, `truncate size ${sizeBytes} is negative`);
    assert(this.pending.length < PENDING_OPS_MAX, `more than ${PENDING_OPS_MAX} unsynced operations on one file`);
    this.pending.push({ kind: 'truncate', size: sizeBytes });
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
    for (const op of this.pending) {
      if (op.kind === 'write') {
        const lo = Math.max(offset, op.offset);
        const hi = Math.min(end, op.offset + op.data.length);
        if (lo < hi) out.set(op.data.subarray(lo - op.offset, hi - op.offset), lo - offset);
      } else if (op.size < end) {
        // Bytes cut by a truncate read as zeros if a later extension brings them back.
        out.fill(0, Math.max(op.size, offset) - offset);
      }
    }
    assert(out.length === end - offset, 'read returned the wrong length');
    return out;
  }

  /** fsync: every pending operation reaches the durable image as issued (or misdirected). */
  sync(): number {
    const syncedBytes = this.dirtyWriteBytes;
    for (const op of this.pending) this.applyDurably(op, op.kind === 'write' ? op.data.length : 1);
    this.clearPending();
    assert(this.durableSize === this.cacheSize, 'after a sync the durable size must equal the cached size');
    return syncedBytes;
  }

  /** fsync failed with EIO: the dirty state is dropped and the page cache shows the durable image again. */
  dropDirty(): number {
    const droppedBytes = this.dirtyWriteBytes;
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
    assert(keptBytes.length === this.pending.length, 'settle needs one decision per pending operation');
    for (let i = 0; i < this.pending.length; i++) {
      const op = this.pending[i] as PendingOp;
      const kept = keptBytes[i] as number;
      const limit = op.kind === 'write' ? op.data.length : 1;
      assert(Number.isSafeInteger(kept) && kept >= 0 && kept <= limit, `settle: kept ${kept} of ${limit}`);
      if (kept > 0) this.applyDurably(op, kept);
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

  private applyDurably(op: PendingOp, keptBytes: number): void {
    if (op.kind === 'truncate') {
      this.resizeDurable(op.size);
      return;
    }
    // The file's size grows as the write asked even when the data lands elsewhere: the size is
    // metadata, the misdirection happens to the data blocks.
    const end = op.offset + keptBytes;
    if (end > this.durableSize) this.resizeDurable(end);
    if (op.landsAt < 0 || op.landsAt >= this.durableSize) return;
    const landedBytes = Math.min(keptBytes, this.durableSize - op.landsAt);
    this.durable.set(op.data.subarray(0, landedBytes), op.landsAt);
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

  private clearPending(): void {
    this.pending = [];
    this.dirtyWriteBytes = 0;
  }
}

// ---------------------------------------------------------------------------------------------

const EMPTY = new Uint8Array(0);
const BUFFER_BYTES_MIN = 256;
