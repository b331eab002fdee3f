// The trace: every step of a run as a compact typed record (sequence, true time, the node's local
// time, node, kind, fields). It is what the artifact stores and what every viewer draws, and its
// hash is how tests prove that two runs were the same. Records go to sinks: kept in memory,
// hashed, or streamed to a file so memory stays flat on long runs. The trace never influences
// the run: recording is write-only.

import type { NoteFields } from '../../src/host/contract';
import { assert } from '../../src/util/assert';

export type TraceKind =
  | 'send' // a process handed a message to the network
  | 'deliver' // the message reached a process
  | 'drop' // the message was lost (fields.reason: loss | partition | down)
  | 'timer' // a timer fired
  | 'disk' // a disk operation completed (fields: op, path, ok, code)
  | 'fault' // a fault was injected (disk, clock, ...)
  | 'note' // a fact the process reported (fields.event names it)
  | 'output' // a process answered the environment (a client operation completed)
  | 'external' // the environment asked a process something (a client operation invoked)
  | 'start' // a process (re)started from its disk
  | 'crash' // a process lost its volatile state (fields.cause)
  | 'halt' // a process stopped itself (fields.mode, fields.reason)
  | 'pause'
  | 'resume'
  | 'partition'
  | 'heal'
  | 'clock' // a clock jumped or changed its drift
  | 'violation'; // a checker found a broken invariant

export interface TraceRecord {
  readonly seq: number;
  readonly trueUs: number;
  /** The node's local clock at this step, or null for world-level records. */
  readonly localUs: number | null;
  readonly node: string | null;
  readonly kind: TraceKind;
  readonly fields: NoteFields;
}

export interface TraceSink {
  record(r: TraceRecord): void;
  /** Flush anything buffered. Called once at the end of a run. */
  close(): void;
}

/** The trace of one run: numbers records and fans them out to the sinks. */
export class Trace {
  private seq = 0;
  /** False when there is no sink: callers skip building fields entirely (the hot path). */
  readonly enabled: boolean;

  constructor(private readonly sinks: readonly TraceSink[]) {
    this.enabled = sinks.length > 0;
  }

  get length(): number {
    return this.seq;
  }

  emit(trueUs: number, localUs: number | null, node: string | null, kind: TraceKind, fields: NoteFields): void {
    if (!this.enabled) return;
    const r = new Entry(this.seq++, trueUs, localUs, node, kind, fields);
    for (let i = 0; i < this.sinks.length; i++) (this.sinks[i] as TraceSink).record(r);
  }

  close(): void {
    for (const sink of this.sinks) sink.close();
  }
}

/**
 * A record as Trace.emit makes it: its own properties are exactly the canonical keys in the
 * canonical order, so one native JSON.stringify call gives the canonical form (no string pieces
 * glued together and flattened afterwards: this is the trace's hottest path).
 */
class Entry implements TraceRecord {
  constructor(
    readonly seq: number,
    readonly trueUs: number,
    readonly localUs: number | null,
    readonly node: string | null,
    readonly kind: TraceKind,
    readonly fields: NoteFields,
  ) {}
}

/**
 * The canonical one-line form of a record: a line of the JSONL file and of the artifact. Fields keep
 * the order their producer built them in, which is itself deterministic (the same code builds them
 * the same way every run), so no sorting is needed on this hot path.
 */
export function encodeRecord(r: TraceRecord): string {
  // Same text either way (times and sequence numbers are integers); records built elsewhere (tests) may order their keys otherwise.
  if (r instanceof Entry) return JSON.stringify(r);
  return `{"seq":${r.seq},"trueUs":${r.trueUs},"localUs":${r.localUs},"node":${JSON.stringify(r.node)},"kind":"${r.kind}","fields":${JSON.stringify(r.fields)}}`;
}

// Type tags mixed in before values (outside the range of UTF-16 code units, so never a character).
const TAG_RECORD = 0x1_0001;
const TAG_NULL = 0x1_0002;
const TAG_TRUE = 0x1_0003;
const TAG_FALSE = 0x1_0004;
const TAG_INTEGER = 0x1_0005;
const TAG_NUMBER = 0x1_0006;
const TAG_STRING = 0x1_0007;

/** Keeps every record in memory (tests, the artifact of a normal-sized run). */
export class MemorySink implements TraceSink {
  readonly records: TraceRecord[] = [];
  constructor(readonly recordsMax: number = 5_000_000) {}
  record(r: TraceRecord): void {
    assert(this.records.length < this.recordsMax, `trace exceeds ${this.recordsMax} records: stream it to a file instead`);
    this.records.push(r);
  }
  close(): void {}
}

/**
 * A stable 64-bit hash (two independent 32-bit FNV-1a lanes) of every record's content, in order:
 * its numbers, its strings (character by character) and its fields' names and values, each tagged
 * with its type, in the order the record holds them, which is what its canonical encoding shows.
 * Equal traces give equal hashes on any machine and in any process. The values are mixed in
 * directly rather than through the record's JSON text: building that text for every record cost
 * more than the rest of the hashing (the artifact and the JSONL file still encode it, once).
 */
export class HashSink implements TraceSink {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x5bd1e995;
  private count = 0;

  record(r: TraceRecord): void {
    this.number(r.seq);
    this.number(r.trueUs);
    this.nullable(r.localUs);
    this.nullable(r.node);
    this.string(r.kind);
    const fields = r.fields;
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined) continue; // as JSON leaves it out
      this.string(key);
      this.nullable(value);
    }
    // A record separator, so that record boundaries are part of what is hashed.
    this.mix(TAG_RECORD);
    this.count++;
  }

  private nullable(value: string | number | boolean | null): void {
    if (value === null) this.mix(TAG_NULL);
    else if (typeof value === 'number') this.number(value);
    else if (typeof value === 'string') this.string(value);
    else this.mix(value ? TAG_TRUE : TAG_FALSE);
  }

  private number(n: number): void {
    if (Number.isSafeInteger(n)) {
      this.mix(TAG_INTEGER);
      this.mix(n % 0x1_0000_0000);
      this.mix(Math.floor(n / 0x1_0000_0000));
    } else {
      this.mix(TAG_NUMBER);
      this.string(JSON.stringify(n));
    }
  }

  private string(s: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ TAG_STRING, 0x01000193);
    h2 = Math.imul(h2 ^ TAG_STRING, 0x5bd1e995) ^ (h2 >>> 15);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    // The length ends the string, so that "ab","c" and "a","bc" differ.
    this.h1 = Math.imul(h1 ^ s.length, 0x01000193);
    this.h2 = Math.imul(h2 ^ s.length, 0x5bd1e995) ^ (h2 >>> 15);
  }

  private mix(word: number): void {
    this.h1 = Math.imul(this.h1 ^ word, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ word, 0x5bd1e995) ^ (this.h2 >>> 15);
  }

  close(): void {}

  /** 16 hex digits. */
  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }

  get records(): number {
    return this.count;
  }
}
