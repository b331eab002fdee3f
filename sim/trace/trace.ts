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
 * The canonical one-line form of a record: the unit of hashing and of the JSONL file. Fields keep
 * the order their producer built them in, which is itself deterministic (the same code builds them
 * the same way every run), so no sorting is needed on this hot path.
 */
export function encodeRecord(r: TraceRecord): string {
  // Same text either way (times and sequence numbers are integers); records built elsewhere (tests) may order their keys otherwise.
  if (r instanceof Entry) return JSON.stringify(r);
  return `{"seq":${r.seq},"trueUs":${r.trueUs},"localUs":${r.localUs},"node":${JSON.stringify(r.node)},"kind":"${r.kind}","fields":${JSON.stringify(r.fields)}}`;
}

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
 * A stable 64-bit hash (two independent 32-bit FNV-1a lanes) of the canonical encoding of every
 * record, in order. Equal traces give equal hashes on any machine and in any process.
 */
export class HashSink implements TraceSink {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x5bd1e995;
  private count = 0;

  record(r: TraceRecord): void {
    const s = encodeRecord(r);
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    // A record separator, so that record boundaries are part of what is hashed.
    this.h1 = Math.imul(h1 ^ 0x0a, 0x01000193);
    this.h2 = Math.imul(h2 ^ 0x0a, 0x5bd1e995);
    this.count++;
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
