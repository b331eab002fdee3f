import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NodeClock } from './node-clock';

describe('NodeClock', () => {
  it('reads offset + (1 + drift) x true time', () => {
    const clock = new NodeClock({ offsetUs: 5_000, driftPpm: 100 });
    expect(clock.localAt(0)).toBe(5_000);
    expect(clock.localAt(1_000_000)).toBe(5_000 + 1_000_000 + 100);
    expect(clock.offsetAt(10_000_000)).toBe(5_000 + 1_000);
  });

  it('jumps forward and backward at a true time and stays continuous otherwise', () => {
    const clock = new NodeClock({ offsetUs: 0, driftPpm: 0 });
    clock.jump(1_000, -500);
    expect(clock.localAt(1_000)).toBe(500);
    expect(clock.localAt(2_000)).toBe(1_500);
    clock.jump(2_000, 10_000);
    expect(clock.localAt(2_000)).toBe(11_500);
  });

  it('a change of drift keeps the reading at the moment of change', () => {
    const clock = new NodeClock({ offsetUs: 0, driftPpm: 0 });
    clock.setDrift(1_000_000, 200_000);
    expect(clock.localAt(1_000_000)).toBe(1_000_000);
    expect(clock.localAt(2_000_000)).toBe(2_200_000);
  });

  it('finds the earliest true time at which a local deadline is reached, for any offset and drift', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.integer({ min: -500_000, max: 500_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (offsetUs, driftPpm, nowUs, aheadUs) => {
          const clock = new NodeClock({ offsetUs, driftPpm });
          const deadline = clock.localAt(nowUs) + aheadUs;
          const t = clock.trueTimeWhenLocalReaches(deadline, nowUs);
          expect(t).toBeGreaterThanOrEqual(nowUs);
          expect(clock.localAt(t)).toBeGreaterThanOrEqual(deadline);
          if (t > nowUs) expect(clock.localAt(t - 1)).toBeLessThan(deadline);
        },
      ),
    );
  });

  it('refuses an impossible drift', () => {
    expect(() => new NodeClock({ offsetUs: 0, driftPpm: 2_000_000 })).toThrow(/driftPpm/);
  });
});
