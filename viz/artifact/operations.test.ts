// Proves that the history is paired into operations and joined with the checker's explanation:
// the stuck operation, those concurrent with it and the prefix order land on the right operations.

import { describe, expect, it } from 'vitest';
import { buildOperations, describeOperation, linkedRecords, operationTags, partialFor } from './operations';
import { collectMarks, describeRecord, nextAfter, previousBefore } from './describe';
import type { RunArtifact, TraceRecord } from './artifact';
import { fixture } from '../testing/cached';

describe('buildOperations', () => {
  it('marks exactly the operation the checker could not place', () => {
    const run = fixture();
    const view = buildOperations(run);
    expect(view.warnings).toEqual([]);
    const stuck = view.operations.filter((o) => o.stuck);
    expect(stuck).toHaveLength(1);
    const detail = run.verdicts.find((v) => v.check === 'linearizability')!.detail as { parts: { stuck?: { op: number }; operations: { id: number; description: string }[] }[] };
    const part = detail.parts.find((p) => p.stuck !== undefined)!;
    const expected = part.operations.find((o) => o.id === part.stuck!.op)!;
    expect(stuck[0]!.description).toBe(expected.description);
    expect(operationTags(stuck[0]!)).toContain('CANNOT BE PLACED');
    expect(describeOperation(stuck[0]!)).toContain(expected.description);
  });

  it('numbers the longest prefix in the checker order', () => {
    const view = buildOperations(fixture());
    const part = view.parts.find((p) => p.stuck !== null)!;
    const inPrefix = view.operations.filter((o) => o.part === part.index && o.prefixOrder !== null).sort((a, b) => a.prefixOrder! - b.prefixOrder!);
    expect(inPrefix.map((o) => o.prefixOrder)).toEqual(Array.from({ length: part.prefixLength }, (_, i) => i));
  });

  it("maps the checker's partial linearizations onto the history's operations", () => {
    const run = fixture();
    const view = buildOperations(run);
    const part = view.parts.find((p) => p.stuck !== null)!;
    const detail = run.verdicts.find((v) => v.check === 'linearizability')!.detail as { parts: { index: number; partialLinearizations: { op: number }[][]; operations: { id: number; description: string }[] }[] };
    const raw = detail.parts.find((p) => p.index === part.index)!;
    expect(part.partials.map((seq) => seq.length)).toEqual(raw.partialLinearizations.map((seq) => seq.length));
    const words = (id: number): string | null => view.operations[id]!.description;
    const rawWords = (op: number): string => raw.operations.find((o) => o.id === op)!.description;
    expect(part.partials[0]!.map(words)).toEqual(raw.partialLinearizations[0]!.map((s) => rawWords(s.op)));
    const first = view.operations[part.partials[0]![0]!]!;
    expect(partialFor(view, first)).not.toBeNull();
  });

  it('pairs invoke with its completion, info never returns', () => {
    const run: RunArtifact = {
      ...fixture(),
      verdicts: [],
      history: [
        { process: 1, type: 'invoke', f: 'put', key: 'a', value: 1, time: 10 },
        { process: 2, type: 'invoke', f: 'get', key: 'a', time: 11 },
        { process: 1, type: 'ok', f: 'put', key: 'a', value: 1, time: 20 },
        { process: 2, type: 'info', f: 'get', key: 'a', time: 30 },
      ],
    };
    const view = buildOperations(run);
    expect(view.operations.map((o) => [o.process, o.outcome, o.callUs, o.returnUs])).toEqual([
      [1, 'ok', 10, 20],
      [2, 'info', 11, null],
    ]);
    expect(view.verdict).toBeNull();
  });

  it('links an operation to the trace records of its client inside its interval', () => {
    const base = fixture();
    const trace: TraceRecord[] = [
      { seq: 0, trueUs: 5, localUs: 5, node: 'c1', kind: 'send' as const, fields: { to: 'n1', type: 'request' } },
      { seq: 1, trueUs: 15, localUs: 15, node: 'c1', kind: 'send' as const, fields: { to: 'n1', type: 'request' } },
      { seq: 2, trueUs: 16, localUs: 16, node: 'n2', kind: 'send' as const, fields: { to: 'n3', type: 'heartbeat' } },
      { seq: 3, trueUs: 17, localUs: 17, node: 'n1', kind: 'send' as const, fields: { to: 'c1', type: 'reply' } },
      { seq: 4, trueUs: 40, localUs: 40, node: 'c1', kind: 'deliver' as const, fields: { from: 'n1', type: 'reply' } },
    ];
    const run: RunArtifact = { ...base, verdicts: [], trace, history: [{ process: 1, type: 'invoke', f: 'get', key: 'a', time: 10 }, { process: 1, type: 'ok', f: 'get', key: 'a', value: '', time: 20 }] };
    const op = buildOperations(run).operations[0]!;
    expect(linkedRecords(run.trace, op, 100)).toEqual([1, 3]);
  });
});

describe('marks and words', () => {
  it('finds faults and role changes in order, and steps between them', () => {
    const run = fixture();
    const marks = collectMarks(run.trace);
    expect(marks.fault.length).toBeGreaterThan(0);
    expect(marks.role.length).toBeGreaterThan(0);
    const first = marks.fault[0]!;
    expect(nextAfter(marks.fault, first - 1)).toBe(first);
    expect(nextAfter(marks.fault, first)).toBe(marks.fault[1] ?? null);
    expect(previousBefore(marks.fault, first)).toBeNull();
    expect(describeRecord(run.trace[first]!)).toMatch(/partition|heal|crash|pause|clock|fault/);
  });

  it('describes every record of a real run without placeholders for known fields', () => {
    const run = fixture();
    for (const r of run.trace.slice(0, 3000)) {
      const words = describeRecord(r);
      expect(words.length).toBeGreaterThan(3);
      if (r.kind === 'send' || r.kind === 'deliver') expect(words).not.toContain('?');
    }
  });
});
