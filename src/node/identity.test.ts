import { describe, expect, it } from 'vitest';
import { freshIdentity, joinChange, processOf } from './identity';

const config = { voters: ['n1', 'n2', 'n3', 'n4', 'n5'], votersOld: null, learners: [] };

describe('node identities', () => {
  it('a Raft id names its process before the #; a fresh one is new each time, drawn from the injected random', () => {
    expect(processOf('n3')).toBe('n3');
    expect(processOf('n3#0a1b2c')).toBe('n3');
    let next = 0;
    const random = { int: (max: number) => (next++ * 7919) % max, intBetween: (a: number) => a, chance: () => false } as never;
    const a = freshIdentity('n3', random);
    const b = freshIdentity('n3', random);
    expect(a).toMatch(/^n3#[0-9a-z]{6}$/);
    expect(b).not.toBe(a);
  });

  it('a joiner is added as a learner with every other identity of its process removed, then promoted; a voter needs nothing', () => {
    const added = joinChange(config, 'n3#abc');
    expect(added).toEqual({ voters: ['n1', 'n2', 'n4', 'n5'], learners: ['n3#abc'] });
    const asLearner = { voters: added!.voters, votersOld: null, learners: added!.learners };
    expect(joinChange(asLearner, 'n3#abc')).toEqual({ voters: ['n1', 'n2', 'n3#abc', 'n4', 'n5'], learners: [] });
    expect(joinChange({ ...config, voters: ['n1', 'n2', 'n3#abc', 'n4', 'n5'] }, 'n3#abc')).toBeNull();
    // Wiped again before it was promoted: the newer identity replaces the learner.
    expect(joinChange(asLearner, 'n3#def')).toEqual({ voters: ['n1', 'n2', 'n4', 'n5'], learners: ['n3#def'] });
    // Never the last voter.
    expect(joinChange({ voters: ['n1'], votersOld: null, learners: [] }, 'n1#x')).toBeNull();
  });
});
