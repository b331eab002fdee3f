// Phi-accrual detector against values computed by hand from known inter-arrival sequences.
// Reference tail values of the standard normal, Q(y) = P(Z > y):
//   Q(0) = 0.5            -> phi = -log10 0.5         = 0.301030
//   Q(1) = 0.158655254    -> phi = -log10 0.158655254 = 0.799546
//   Q(2) = 0.022750132    -> phi = 1.643016
//   Q(3) = 0.001349898    -> phi = 2.869699
//   Q(-1) = 0.841344746   -> phi = 0.075030

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PhiConfig } from './config';
import { PhiAccrualDetector, phiOfNormal } from './phi';

const base: PhiConfig = { threshold: 8, windowSize: 4, minStdDevUs: 100, acceptableHeartbeatPauseUs: 0 };

function fed(config: PhiConfig, arrivalsUs: readonly number[]): PhiAccrualDetector {
  const d = new PhiAccrualDetector(config);
  for (const t of arrivalsUs) d.heartbeat(t);
  return d;
}

describe('phi-accrual', () => {
  it('regular 1000 us heartbeats: stddev 0 is floored at minStdDevUs 100, so phi at +1000/+1100/+1200/+1300 us is Q(0..3)', () => {
    // Arrivals 0, 1000, 2000, 3000, 4000: intervals [1000 x 4], mean 1000, stddev 0 -> 100.
    const d = fed(base, [0, 1000, 2000, 3000, 4000]);
    expect(d.stats()).toEqual({ samples: 4, meanUs: 1000, stdDevUs: 0 });
    expect(d.phi(5000)).toBeCloseTo(0.30103, 5); // y = (1000 - 1000) / 100 = 0
    expect(d.phi(5100)).toBeCloseTo(0.799546, 5); // y = 1
    expect(d.phi(5200)).toBeCloseTo(1.643016, 5); // y = 2
    expect(d.phi(5300)).toBeCloseTo(2.869699, 5); // y = 3
    expect(d.phi(4900)).toBeCloseTo(0.07503, 5); // y = -1
  });

  it('intervals 800 and 1200: mean 1000, population stddev 200; at +1400 us y = 2, phi = 1.643', () => {
    // mean = (800 + 1200) / 2 = 1000; variance = (200^2 + 200^2) / 2 = 40000; stddev = 200.
    const d = fed(base, [0, 800, 2000]);
    expect(d.stats()).toEqual({ samples: 2, meanUs: 1000, stdDevUs: 200 });
    expect(d.phi(2000 + 1400)).toBeCloseTo(1.643016, 5); // y = (1400 - 1000) / 200 = 2
    expect(d.phi(2000 + 1200)).toBeCloseTo(0.799546, 5); // y = 1
  });

  it('the acceptable pause is added to the mean: with 500 us of grace, +1500 us is as suspicious as +1000 us without', () => {
    const d = fed({ ...base, acceptableHeartbeatPauseUs: 500 }, [0, 1000, 2000]);
    expect(d.phi(2000 + 1500)).toBeCloseTo(0.30103, 5); // y = (1500 - (1000 + 500)) / 100 = 0
  });

  it('the window slides: only the last windowSize intervals count', () => {
    // Intervals 5000, then 1000 x 4: the first falls out of a window of 4.
    const d = fed(base, [0, 5000, 6000, 7000, 8000, 9000]);
    expect(d.stats()).toEqual({ samples: 4, meanUs: 1000, stdDevUs: 0 });
  });

  it('crosses the default threshold 8 near y = 5.612 (Q = 1e-8)', () => {
    const d = fed(base, [0, 1000, 2000]);
    expect(d.isSuspicious(2000 + 1000 + 561)).toBe(false); // y = 5.61 -> phi 7.995
    expect(d.isSuspicious(2000 + 1000 + 562)).toBe(true); // y = 5.62 -> phi 8.020
  });

  it('no data, no suspicion: phi is 0 before two heartbeats, and again after reset', () => {
    const d = new PhiAccrualDetector(base);
    expect(d.phi(1_000_000)).toBe(0);
    d.heartbeat(0);
    expect(d.phi(1_000_000)).toBe(0);
    d.heartbeat(1000);
    expect(d.phi(1_000_000)).toBeGreaterThan(8);
    d.reset();
    expect(d.phi(1_000_000)).toBe(0);
  });

  it('a clock that jumps backwards adds no sample', () => {
    const d = fed(base, [0, 1000, 500, 2000]);
    expect(d.stats()).toEqual({ samples: 2, meanUs: 1000, stdDevUs: 0 });
  });

  it('phi stays finite far into the tail (computed in log space), e.g. y = 40 gives about 349', () => {
    // ln Q(y) ~ -y^2/2 - ln(y sqrt(2 pi)) = -800 - 4.6068 -> phi = 804.6068 / ln 10 = 349.43.
    expect(phiOfNormal(40, 0, 1)).toBeCloseTo(349.43, 1);
  });

  it('phi never decreases as time since the last heartbeat grows', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 50_000 }), (gaps, a, b) => {
        let t = 0;
        const d = new PhiAccrualDetector(base);
        d.heartbeat(0);
        for (const g of gaps) d.heartbeat((t += g));
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(d.phi(t + hi)).toBeGreaterThanOrEqual(d.phi(t + lo) - 1e-9);
      }),
    );
  });
});
