// The scaling formulas, against values worked out by hand.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterScale, retransmitLimit, suspicionBounds, suspicionTimeoutUs } from './timeouts';

describe('scaling formulas', () => {
  it('cluster scale is max(1, ceil(log10 n)): 1 up to 10 members, 2 up to 100, 3 up to 1000', () => {
    expect([1, 5, 10, 11, 100, 101, 1000].map(clusterScale)).toEqual([1, 1, 1, 2, 2, 3, 3]);
  });

  it('retransmit limit is lambda x scale(n + 1): lambda 4 gives 4 for n = 9, 8 for n = 10', () => {
    expect(retransmitLimit(4, 9)).toBe(4); // scale(10) = 1
    expect(retransmitLimit(4, 10)).toBe(8); // scale(11) = 2
  });

  it('suspicion bounds: alpha 4, beta 6, P = 1 s, n = 20 gives min 8 s, max 48 s, K = 3', () => {
    expect(suspicionBounds(4, 6, 3, 1_000_000, 20)).toEqual({ minUs: 8_000_000, maxUs: 48_000_000, expectedConfirmations: 3 });
  });

  it('K is capped at n - 2: in a 3-member cluster only one other member can confirm', () => {
    expect(suspicionBounds(4, 6, 3, 1_000_000, 3).expectedConfirmations).toBe(1);
    const b = suspicionBounds(4, 6, 3, 1_000_000, 2);
    expect(b.expectedConfirmations).toBe(0);
    expect(suspicionTimeoutUs(b, 0)).toBe(b.minUs);
  });

  it('the timeout falls from max to min as confirmations arrive, and never leaves [min, max]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 2, max: 500 }), (alpha, beta, K, n) => {
        const b = suspicionBounds(alpha, beta, K, 1_000_000, n);
        let previous = Number.POSITIVE_INFINITY;
        for (let c = 0; c <= K + 2; c++) {
          const t = suspicionTimeoutUs(b, c);
          expect(t).toBeGreaterThanOrEqual(b.minUs);
          expect(t).toBeLessThanOrEqual(b.maxUs);
          expect(t).toBeLessThanOrEqual(previous);
          previous = t;
        }
        if (b.expectedConfirmations >= 1) expect(suspicionTimeoutUs(b, 0)).toBe(b.maxUs);
        expect(suspicionTimeoutUs(b, b.expectedConfirmations)).toBe(b.minUs);
      }),
    );
  });
});
