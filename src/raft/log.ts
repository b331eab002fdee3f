// The in-memory Raft log: a snapshot boundary (index, term) followed by contiguous entries. It
// answers term lookups, slices, conflict searches and the configuration in force at an index.
// It never does I/O and never decides what is committed; the core tells it what to keep.

import { assert } from '../util/assert';
import type { Configuration, EntryView, LogEntry } from './types';

export class RaftLog {
  private snapIndex: number;
  private snapTerm: number;
  private snapConfig: Configuration;
  private entries: LogEntry[];
  /**
   * The views handed out by view(): one per entry of a prefix of `entries` (made on demand:
   * hashing payloads is for observers only), each never reused after a truncation, so the same
   * view object at a position means the entry there has not changed since. An append only
   * extends this array, at the next view(); any other change replaces it with a copy of what
   * stays, leaving the old array as its holders saw it. So an observer holding the array and its
   * length knows that prefix is unchanged while the log hands out the same array, without a copy
   * of the whole log per change (RaftView.log).
   */
  private views: EntryView[] = [];
  /** Bumped on every mutation. */
  private versionValue = 0;

  constructor(snapshotIndex: number, snapshotTerm: number, snapshotConfig: Configuration, entries: readonly LogEntry[]) {
    assert(snapshotIndex >= 0 && snapshotTerm >= 0, 'log: snapshot boundary must be non-negative');
    this.snapIndex = snapshotIndex;
    this.snapTerm = snapshotTerm;
    this.snapConfig = snapshotConfig;
    this.entries = [];
    this.append(entries);
  }

  get version(): number {
    return this.versionValue;
  }

  snapshotIndex(): number {
    return this.snapIndex;
  }

  snapshotTerm(): number {
    return this.snapTerm;
  }

  snapshotConfig(): Configuration {
    return this.snapConfig;
  }

  lastIndex(): number {
    return this.snapIndex + this.entries.length;
  }

  lastTerm(): number {
    const last = this.entries[this.entries.length - 1];
    return last === undefined ? this.snapTerm : last.term;
  }

  /** Term of the entry at index, or undefined if compacted away or beyond the end. */
  termAt(index: number): number | undefined {
    if (index === this.snapIndex) return this.snapTerm;
    if (index < this.snapIndex || index > this.lastIndex()) return undefined;
    const e = this.entries[index - this.snapIndex - 1];
    assert(e !== undefined && e.index === index, 'log: entry index must match its position');
    return e.term;
  }

  entryAt(index: number): LogEntry | undefined {
    if (index <= this.snapIndex || index > this.lastIndex()) return undefined;
    return this.entries[index - this.snapIndex - 1];
  }

  /** Entries from `from` (inclusive, > snapshot index) up to the end, at most countMax and about bytesMax (at least one). */
  slice(from: number, countMax: number, bytesMax: number): LogEntry[] {
    assert(from > this.snapIndex, 'log: slice must start after the snapshot');
    const out: LogEntry[] = [];
    let bytes = 0;
    for (let i = from; i <= this.lastIndex() && out.length < countMax; i++) {
      const e = this.entryAt(i);
      assert(e !== undefined, 'log: slice entry present');
      bytes += entrySizeBytes(e);
      if (out.length > 0 && bytes > bytesMax) break;
      out.push(e);
    }
    return out;
  }

  /** Appends contiguous entries at the end. */
  append(entries: readonly LogEntry[]): void {
    for (const e of entries) {
      assert(e.index === this.lastIndex() + 1, `log: append must be contiguous (got ${e.index} after ${this.lastIndex()})`);
      assert(e.term >= this.lastTerm(), 'log: terms never decrease along the log');
      assert((e.kind === 'config') === (e.config !== null), 'log: config set iff kind is config');
      this.entries.push(e);
    }
    if (entries.length > 0) this.versionValue++;
  }

  /** Deletes every entry with index >= from. */
  truncateFrom(from: number): void {
    assert(from > this.snapIndex, 'log: never truncate into the snapshot');
    assert(from <= this.lastIndex(), 'log: truncation point inside the log');
    this.entries.length = from - this.snapIndex - 1;
    // Views handed out beyond the cut are left as their holders saw them.
    if (this.views.length > this.entries.length) this.views = this.views.slice(0, this.entries.length);
    this.versionValue++;
  }

  /** Drops entries up to and including index, which becomes the snapshot boundary. */
  compactTo(index: number, term: number, config: Configuration): void {
    assert(index > this.snapIndex, 'log: compaction moves forward');
    assert(index <= this.lastIndex(), 'log: compact only what is in the log');
    assert(this.termAt(index) === term, 'log: compaction term matches the entry');
    this.entries = this.entries.slice(index - this.snapIndex);
    this.views = this.views.slice(index - this.snapIndex); // always a new array: its first index moved
    this.snapIndex = index;
    this.snapTerm = term;
    this.snapConfig = config;
    this.versionValue++;
  }

  /** Discards everything: the log becomes just this snapshot boundary. */
  resetTo(index: number, term: number, config: Configuration): void {
    this.entries = [];
    this.views = [];
    this.snapIndex = index;
    this.snapTerm = term;
    this.snapConfig = config;
    this.versionValue++;
  }

  /** The last index holding `term`, searching back no further than the snapshot; 0 if none. */
  lastIndexOfTerm(term: number): number {
    for (let i = this.lastIndex(); i > this.snapIndex; i--) {
      const t = this.termAt(i);
      assert(t !== undefined, 'log: term present while scanning');
      if (t === term) return i;
      if (t < term) return 0;
    }
    return this.snapTerm === term && this.snapIndex > 0 ? this.snapIndex : 0;
  }

  /** The first index of the run of entries with the same term as `index` (for fast back-off). */
  firstIndexOfTermRun(index: number): number {
    const term = this.termAt(index);
    assert(term !== undefined, 'log: run start of a present entry');
    let i = index;
    while (i - 1 > this.snapIndex && this.termAt(i - 1) === term) i--;
    return i;
  }

  /** The configuration in force at index (the latest config entry at or before it, else the snapshot's). */
  configAt(index: number): { config: Configuration; index: number } {
    assert(index >= this.snapIndex, 'log: config lookup after the snapshot');
    for (let i = Math.min(index, this.lastIndex()); i > this.snapIndex; i--) {
      const e = this.entryAt(i);
      if (e !== undefined && e.config !== null) return { config: e.config, index: i };
    }
    return { config: this.snapConfig, index: this.snapIndex };
  }

  /**
   * The entries as plain views for inspect(). The same array object, grown by the entries
   * appended since, until the log changes in any other way (see `views`); read-only to callers.
   */
  view(): readonly EntryView[] {
    assert(this.views.length <= this.entries.length, 'log: views cover a prefix of the entries');
    // Bound: one view per entry appended since the last call.
    for (let i = this.views.length; i < this.entries.length; i++) this.views.push(entryView(this.entries[i] as LogEntry));
    return this.views;
  }
}

export function entrySizeBytes(e: LogEntry): number {
  // A fixed overhead for index, term and kind keeps empty entries from being free.
  return 24 + e.data.length;
}

const digestCache = new WeakMap<LogEntry, string>();

/** A fresh view of an entry (its digest is computed once per entry object). */
export function entryView(e: LogEntry): EntryView {
  return { index: e.index, term: e.term, kind: e.kind, digest: entryDigest(e) };
}

/** FNV-1a (32-bit) over the kind, payload and configuration: a short fingerprint, not a security hash. */
export function entryDigest(e: LogEntry): string {
  const cached = digestCache.get(e);
  if (cached !== undefined) return cached;
  let h = 0x811c9dc5;
  const mix = (byte: number): void => {
    h ^= byte & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const ch of e.kind) mix(ch.charCodeAt(0));
  for (const b of e.data) mix(b);
  if (e.config !== null) {
    const text = JSON.stringify(e.config);
    for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i));
  }
  const digest = h.toString(16).padStart(8, '0');
  digestCache.set(e, digest);
  return digest;
}
