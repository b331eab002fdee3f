// The in-memory log: term lookups around the snapshot boundary, the searches fast back-off
// relies on, the configuration in force at an index, and the cached view the monitor relies on.

import { describe, expect, it } from 'vitest';
import { entryDigest, RaftLog } from './log';
import { entriesOfTerms } from './testing/fixtures';
import type { Configuration, LogEntry } from './types';

const C0: Configuration = { voters: ['a', 'b', 'c'], votersOld: null, learners: [] };
const C1: Configuration = { voters: ['a', 'b', 'd'], votersOld: ['a', 'b', 'c'], learners: [] };

describe('RaftLog', () => {
  it('answers terms at, before and after the snapshot boundary', () => {
    const log = new RaftLog(3, 2, C0, entriesOfTerms([2, 3, 3], 4));
    expect([log.termAt(2), log.termAt(3), log.termAt(4), log.termAt(6), log.termAt(7)]).toEqual([undefined, 2, 2, 3, undefined]);
    expect([log.lastIndex(), log.lastTerm()]).toEqual([6, 3]);
  });

  it('finds the last index of a term and the first index of a run of one term', () => {
    const log = new RaftLog(0, 0, C0, entriesOfTerms([1, 1, 2, 2, 2, 5]));
    expect([log.lastIndexOfTerm(2), log.lastIndexOfTerm(3), log.lastIndexOfTerm(5)]).toEqual([5, 0, 6]);
    expect([log.firstIndexOfTermRun(5), log.firstIndexOfTermRun(2), log.firstIndexOfTermRun(6)]).toEqual([3, 1, 6]);
  });

  it('slices by count and by bytes, always at least one entry', () => {
    const big: LogEntry = { index: 1, term: 1, kind: 'command', data: new Uint8Array(1000), config: null };
    const log = new RaftLog(0, 0, C0, [big, ...entriesOfTerms([1, 1, 1], 2)]);
    expect(log.slice(1, 10, 100).map((e) => e.index)).toEqual([1]);
    expect(log.slice(2, 2, 10_000).map((e) => e.index)).toEqual([2, 3]);
    expect(log.slice(5, 10, 10_000)).toEqual([]);
  });

  it('the configuration in force is the latest config entry at or before an index, else the snapshot’s', () => {
    const cfg: LogEntry = { index: 3, term: 1, kind: 'config', data: new Uint8Array(0), config: C1 };
    const log = new RaftLog(0, 0, C0, [...entriesOfTerms([1, 1]), cfg, ...entriesOfTerms([1], 4)]);
    expect(log.configAt(2)).toEqual({ config: C0, index: 0 });
    expect(log.configAt(4)).toEqual({ config: C1, index: 3 });
    log.truncateFrom(3);
    expect(log.configAt(log.lastIndex())).toEqual({ config: C0, index: 0 });
  });

  it('grows the view array it handed out while the log only appends, replaces it on any other change, and digests tell entries apart', () => {
    const log = new RaftLog(0, 0, C0, entriesOfTerms([1, 1, 1]));
    const v1 = log.view();
    expect(log.view()).toBe(v1);
    log.append(entriesOfTerms([2], 4));
    expect(log.view()).toBe(v1);
    expect(v1.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    // A truncation leaves the old array as it was and hands out a copy of what stays.
    log.truncateFrom(3);
    const v2 = log.view();
    expect(v2).not.toBe(v1);
    expect(v1.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    expect(v2.map((e) => e.index)).toEqual([1, 2]);
    expect(v2[1]).toBe(v1[1]);
    log.compactTo(1, 1, C0);
    expect(log.view()).not.toBe(v2);
    expect(v2.map((e) => e.index)).toEqual([1, 2]);
    expect(log.view().map((e) => e.index)).toEqual([2]);
    const [a, b] = entriesOfTerms([1, 1]);
    expect(entryDigest(a as LogEntry)).not.toBe(entryDigest(b as LogEntry));
    expect(entryDigest(a as LogEntry)).toBe(entryDigest({ ...(a as LogEntry) }));
  });

  it('compacts to a boundary and keeps what follows', () => {
    const log = new RaftLog(0, 0, C0, entriesOfTerms([1, 1, 2, 2]));
    log.compactTo(2, 1, C0);
    expect([log.snapshotIndex(), log.snapshotTerm(), log.view().map((e) => e.index)]).toEqual([2, 1, [3, 4]]);
  });
});
