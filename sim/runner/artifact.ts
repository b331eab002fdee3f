// The run artifact: runs/<scenario>-<seed>/run.json, format "loom-run/1". Everything the report,
// the viewer and the terminal UI show comes from this one file; nothing needs the simulator to
// run again. It is written as a stream (the trace one record per line inside the JSON array) so
// that a long run never builds one giant string.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FaultSchedule } from '../nemesis/schedule';
import { encodeRecord, type TraceRecord } from '../trace/trace';

export const ARTIFACT_FORMAT = 'loom-run/1';

export type VerdictValue = 'pass' | 'fail' | 'unknown';

export interface Verdict {
  /** The check's name, e.g. "linearizability", "raft-invariants", "durability". */
  readonly check: string;
  readonly verdict: VerdictValue;
  /** One line a person reads in the summary. */
  readonly summary: string;
  /** The checker's explanation of a failure, as data the viewers draw. */
  readonly detail?: unknown;
}

export interface RunSummary {
  readonly seed: number;
  readonly scenario: string;
  readonly system: string;
  readonly nodes: number;
  readonly simulatedUs: number;
  readonly events: number;
  readonly traceRecords: number;
  readonly traceHash: string;
  readonly faultsInjected: number;
  readonly messages: { readonly sent: number; readonly delivered: number; readonly lost: number; readonly droppedByPartition: number };
  readonly operations: { readonly ok: number; readonly fail: number; readonly info: number };
}

export interface RunHeader {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly seed: number;
  readonly scenario: string;
  readonly config: unknown;
  readonly schedule: FaultSchedule;
  readonly summary: RunSummary;
  readonly verdicts: readonly Verdict[];
  /** Jepsen-style client history (invoke, then ok / fail / info). */
  readonly history: readonly unknown[];
}

/** Writes the artifact: the header's fields, then the trace, one record per line. */
export function writeArtifact(path: string, header: RunHeader, trace: readonly TraceRecord[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    const head = JSON.stringify(header, null, 1);
    // Reopen the header object to append the trace array to it.
    writeSync(fd, `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n "trace": [\n`);
    const chunk: string[] = [];
    for (let i = 0; i < trace.length; i++) {
      chunk.push(encodeRecord(trace[i] as TraceRecord) + (i + 1 < trace.length ? ',' : ''));
      if (chunk.length === 4096) {
        writeSync(fd, chunk.join('\n') + '\n');
        chunk.length = 0;
      }
    }
    if (chunk.length > 0) writeSync(fd, chunk.join('\n') + '\n');
    writeSync(fd, ' ]\n}\n');
  } finally {
    closeSync(fd);
  }
}
