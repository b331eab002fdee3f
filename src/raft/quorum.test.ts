// Quorum arithmetic: the value a majority has reached and election tallies, for simple and
// joint configurations (thesis §4.3: C_old,new needs both majorities).

import { describe, expect, it } from 'vitest';
import { majorityValue, members, quorumValue, tally } from './quorum';
import type { Configuration } from './types';

const simple: Configuration = { voters: ['a', 'b', 'c'], votersOld: null, learners: ['l'] };
const joint: Configuration = { voters: ['a', 'd', 'e'], votersOld: ['a', 'b', 'c'], learners: [] };

describe('quorum', () => {
  it('the majority value is the highest value a majority has reached', () => {
    const match: Record<string, number> = { a: 9, b: 5, c: 2, d: 7, e: 1 };
    expect(majorityValue(['a', 'b', 'c'], (id) => match[id] ?? 0)).toBe(5);
    expect(majorityValue(['a', 'b', 'c', 'd'], (id) => match[id] ?? 0)).toBe(5);
    expect(majorityValue(['a', 'b', 'c', 'd', 'e'], (id) => match[id] ?? 0)).toBe(5);
  });

  it('a joint configuration reaches only what both majorities have reached', () => {
    const match: Record<string, number> = { a: 9, b: 8, c: 8, d: 3, e: 1 };
    expect(quorumValue(simple, (id) => match[id] ?? 0)).toBe(8);
    expect(quorumValue(joint, (id) => match[id] ?? 0)).toBe(3);
  });

  it('learners never count', () => {
    const match: Record<string, number> = { a: 1, b: 1, c: 1, l: 100 };
    expect(quorumValue(simple, (id) => match[id] ?? 0)).toBe(1);
    expect(tally(simple, new Map([['l', true], ['a', true]]))).toBe('pending');
  });

  it('an election in a joint configuration is won only with both majorities, and lost if either is lost', () => {
    expect(tally(joint, new Map([['a', true], ['b', true], ['c', true]]))).toBe('pending');
    expect(tally(joint, new Map([['a', true], ['b', true], ['d', true]]))).toBe('won');
    expect(tally(joint, new Map([['a', true], ['d', false], ['e', false]]))).toBe('lost');
    expect(tally(simple, new Map([['a', true], ['b', false], ['c', false]]))).toBe('lost');
  });

  it('members lists every voter (old and new) and learner once, sorted', () => {
    expect(members(joint)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(members(simple)).toEqual(['a', 'b', 'c', 'l']);
  });
});
