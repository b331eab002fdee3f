// Which V8 flags a sweep's worker processes get: the rule is about speed only (every seed's run is
// the same either way: cli.test compares the artifacts of a sweep here and on workers byte for byte).

import { describe, expect, it } from 'vitest';
import { workerV8Flags } from './sweep';

describe('the V8 flags of sweep workers', () => {
  it('run without helper threads when the workers fill the cores, with them when cores are spare', () => {
    expect(workerV8Flags(2, 2)).toEqual(['--single-threaded']);
    expect(workerV8Flags(3, 2)).toEqual(['--single-threaded']);
    expect(workerV8Flags(2, 8)).toEqual([]);
    expect(workerV8Flags(1, 2)).toEqual([]);
  });
});
