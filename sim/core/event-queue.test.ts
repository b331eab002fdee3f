import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from './event-queue';

describe('EventQueue', () => {
  it('pops events in (time, insertion order) order, for any sequence of pushes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue<number>();
        times.forEach((t, i) => q.push(t, i));
        const popped: number[] = [];
        while (q.size > 0) popped.push(q.pop());
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((e) => e.i);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it('keeps the order when pushes and pops interleave', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        const q = new EventQueue<number>(1 << 20, 2);
        const model: { t: number; i: number }[] = [];
        ops.forEach((op, i) => {
          if (op >= 0) {
            q.push(op, i);
            model.push({ t: op, i });
          } else if (model.length > 0) {
            model.sort((a, b) => a.t - b.t || a.i - b.i);
            expect(q.peekTimeUs()).toBe(model[0]!.t);
            expect(q.pop()).toBe(model.shift()!.i);
          }
        });
        expect(q.size).toBe(model.length);
      }),
    );
  });

  it('refuses a time that is not a non-negative integer', () => {
    const q = new EventQueue<string>();
    expect(() => q.push(-1, 'x')).toThrow(/non-negative integer/);
    expect(() => q.push(1.5, 'x')).toThrow(/non-negative integer/);
  });

  it('enforces its capacity bound instead of growing without limit', () => {
    const q = new EventQueue<number>(4, 2);
    for (let i = 0; i < 4; i++) q.push(i, i);
    expect(() => q.push(9, 9)).toThrow(/event queue full/);
  });
});
