// Random Raft-like persistence workloads for property tests: a list of small step codes that a
// follower model interprets into persist requests, keeping every rule the Raft core keeps
// (terms never decrease, committed entries are never truncated, snapshots cover committed
// entries and grow, an installed snapshot that conflicts with the log replaces it). Shrinks well
// because a step is plain data. Test support for sim/storage-tests only.

import fc from 'fast-check';
import type { LogEntry } from '../../src/raft/types';
import type { PersistEffect } from '../../src/storage/storage';
import { CONFIG_3 } from '../../src/storage/testing/fixtures';

export type Step =
  | { readonly kind: 'append'; readonly count: number; readonly sizeBytes: number }
  | { readonly kind: 'conflict'; readonly back: number; readonly count: number }
  | { readonly kind: 'hardState'; readonly commitShare: number; readonly newTerm: boolean }
  | { readonly kind: 'snapshot'; readonly share: number }
  | { readonly kind: 'install'; readonly ahead: number };

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 6 }), sizeBytes: fc.integer({ min: 0, max: 120 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('conflict' as const), back: fc.integer({ min: 1, max: 4 }), count: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('hardState' as const), commitShare: fc.integer({ min: 0, max: 100 }), newTerm: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), share: fc.integer({ min: 0, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('install' as const), ahead: fc.integer({ min: 1, max: 5 }) }) },
);

/** Interprets steps as a follower would issue persist requests. */
export function scriptOf(steps: readonly Step[]): PersistEffect[] {
  const out: PersistEffect[] = [];
  let syncId = 0;
  let term = 1;
  let commit = 0;
  let snapIndex = 0;
  let log: LogEntry[] = []; // entries after snapIndex
  let serial = 0;
  const lastIndex = (): number => snapIndex + log.length;
  const termAt = (index: number): number => (index === snapIndex ? snapTerm : (log[index - snapIndex - 1]?.term ?? 0));
  let snapTerm = 0;
  const make = (index: number, sizeBytes: number): LogEntry => {
    serial += 1;
    const data = new TextEncoder().encode(`e${serial}:`.padEnd(Math.max(4, sizeBytes), 'x'));
    return serial % 17 === 0
      ? { index, term, kind: 'config', data: new Uint8Array(0), config: CONFIG_3 }
      : { index, term, kind: 'command', data, config: null };
  };
  for (const step of steps) {
    if (step.kind === 'append') {
      const list: LogEntry[] = [];
      for (let i = 0; i < step.count; i++) list.push(make(lastIndex() + 1 + i, step.sizeBytes));
      log = log.concat(list);
      out.push({ kind: 'appendLog', syncId: ++syncId, truncateFrom: null, entries: list });
    } else if (step.kind === 'conflict') {
      const from = Math.max(commit + 1, lastIndex() - step.back + 1);
      if (from > lastIndex()) continue;
      term += 1;
      out.push({ kind: 'persistState', syncId: ++syncId, term, votedFor: null, commitIndex: commit });
      log = log.slice(0, from - snapIndex - 1);
      const list: LogEntry[] = [];
      for (let i = 0; i < step.count; i++) list.push(make(from + i, 10));
      log = log.concat(list);
      out.push({ kind: 'appendLog', syncId: ++syncId, truncateFrom: from, entries: list });
    } else if (step.kind === 'hardState') {
      if (step.newTerm) term += 1;
      commit = Math.max(commit, commit + Math.floor(((lastIndex() - commit) * step.commitShare) / 100));
      out.push({ kind: 'persistState', syncId: ++syncId, term, votedFor: step.newTerm ? `n${term % 3 + 1}` : null, commitIndex: commit });
    } else if (step.kind === 'snapshot') {
      const at = snapIndex + Math.floor(((commit - snapIndex) * step.share) / 100);
      if (at <= snapIndex) continue;
      const atTerm = termAt(at);
      out.push({ kind: 'saveSnapshot', syncId: ++syncId, meta: { lastIndex: at, lastTerm: atTerm, config: CONFIG_3 }, data: new TextEncoder().encode(`image-${at}`), retainLog: true });
      log = log.slice(at - snapIndex);
      snapIndex = at;
      snapTerm = atTerm;
    } else {
      // A leader's snapshot beyond our log: it conflicts with whatever we hold, so the log goes.
      term += 1;
      const at = lastIndex() + step.ahead;
      out.push({ kind: 'saveSnapshot', syncId: ++syncId, meta: { lastIndex: at, lastTerm: term, config: CONFIG_3 }, data: new TextEncoder().encode(`installed-${at}`), retainLog: false });
      out.push({ kind: 'persistState', syncId: ++syncId, term, votedFor: null, commitIndex: at });
      log = [];
      snapIndex = at;
      snapTerm = term;
      commit = at;
    }
  }
  return out;
}
