// Whole-group properties of SWIM over random seeds, run in the test-only router (in-memory
// delivery with seeded delay, loss, crashes and partitions): completeness within the derived
// detection bound, accuracy without loss, refutation under loss, convergence after a partition
// heals, and exact replay from a seed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SwimConfig } from './config';
import { defaultSwimConfig } from './config';
import { SwimRouter } from './testing/router';
import { suspicionBounds } from './timeouts';

const config: SwimConfig = { ...defaultSwimConfig, syncEveryPeriods: 5 };
const P = config.protocolPeriodUs;

function idsOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

/** Every live member sees every live member alive at that member's own incarnation. */
function expectConverged(r: SwimRouter, live: readonly string[]): void {
  for (const observer of live) {
    const view = r.member(observer).view();
    for (const subject of live) {
      const v = view.find((m) => m.id === subject);
      expect(v, `${observer} knows ${subject}`).toBeDefined();
      expect(`${observer} sees ${subject} ${v!.status}@${v!.incarnation}`).toBe(
        `${observer} sees ${subject} alive@${r.member(subject).incarnation()}`,
      );
    }
  }
}

describe('SWIM group properties', () => {
  it('completeness: a crashed member is held dead by every live member within 2(n - 1)P + T_max of the crash', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 3, max: 8 }),
        fc.nat(),
        fc.integer({ min: 5, max: 30 }),
        fc.integer({ min: 0, max: P - 1 }),
        (seed, n, victimPick, crashPeriods, crashOffsetUs) => {
          const ids = idsOf(n);
          const victim = ids[victimPick % n]!;
          const r = new SwimRouter({ ids, config, seed, delayUsMin: 1_000, delayUsMax: 50_000 });
          r.joinAll(0);
          const crashUs = crashPeriods * P + crashOffsetUs;
          r.runUntil(crashUs);
          r.crash(victim);
          // The bound derived in swim.ts: T_max uses n live members including the victim.
          const tMaxUs = suspicionBounds(config.suspicionMultiplier, config.suspicionMaxMultiplier, config.suspicionConfirmations, P, n).maxUs;
          const boundUs = 2 * (n - 1) * P + tMaxUs;
          r.runUntil(crashUs + boundUs);
          for (const id of ids) {
            if (id === victim) continue;
            const since = r.member(id).deadSince(victim);
            expect(since, `${id} holds ${victim} dead`).not.toBeNull();
            expect(since!).toBeLessThanOrEqual(crashUs + boundUs);
          }
          // The derivation assumes local health stays 0 and nobody else is suspected.
          expect(r.eventsOf('localHealthChanged')).toEqual([]);
          expect(r.eventsOf('memberSuspected').filter((e) => e.event.type === 'memberSuspected' && e.event.member !== victim)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('accuracy: with jitter, skewed clocks and no loss (2 x delay < P), nobody is ever suspected over 300 periods', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1_000, max: Math.floor(0.45 * P) }),
        fc.array(fc.integer({ min: -5_000_000, max: 5_000_000 }), { minLength: 8, maxLength: 8 }),
        (seed, n, delayUsMax, offsets) => {
          const ids = idsOf(n);
          const clockOffsetsUs = Object.fromEntries(ids.map((id, i) => [id, offsets[i]! + 10_000_000]));
          const r = new SwimRouter({ ids, config, seed, delayUsMin: 1, delayUsMax, clockOffsetsUs });
          r.joinAll(0);
          r.runUntil(300 * P);
          expect(r.eventsOf('memberSuspected')).toEqual([]);
          expect(r.eventsOf('memberConfirmedDead')).toEqual([]);
          expectConverged(r, ids);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refutation under loss: members wrongly suspected (5% loss, one briefly isolated) refute, and all views converge', () => {
    let refutations = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 4, max: 7 }), fc.nat(), (seed, n, pick) => {
        const ids = idsOf(n);
        const isolated = ids[pick % n]!;
        const r = new SwimRouter({ ids, config, seed, delayUsMin: 1_000, delayUsMax: 30_000, lossRate: 0.05 });
        r.joinAll(0);
        r.runUntil(10 * P);
        r.blocked = (from, to) => from === isolated || to === isolated;
        r.runUntil(13 * P);
        r.blocked = () => false;
        r.runUntil(40 * P);
        r.lossRate = 0;
        r.runUntil(100 * P);
        expectConverged(r, ids);
        // Every member ever suspected has outbid the suspicion with a higher incarnation.
        for (const e of r.eventsOf('memberSuspected')) {
          if (e.event.type !== 'memberSuspected') continue;
          expect(r.member(e.event.member).incarnation()).toBeGreaterThan(e.event.incarnation);
        }
        refutations += r.eventsOf('refuted').length;
      }),
      { numRuns: 20 },
    );
    expect(refutations).toBeGreaterThan(0);
  });

  it('convergence: after a partition heals, the two sides find each other again and every view is all alive', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 3, max: 8 }), fc.integer({ min: 1, max: 7 }), (seed, n, cut) => {
        const ids = idsOf(n);
        const sideA = new Set(ids.slice(0, 1 + (cut % (n - 1))));
        const r = new SwimRouter({ ids, config, seed, delayUsMin: 1_000, delayUsMax: 50_000 });
        r.joinAll(0);
        r.runUntil(5 * P);
        r.blocked = (from, to) => sideA.has(from) !== sideA.has(to);
        r.runUntil(205 * P);
        // Precondition of the property: each side has declared the other dead.
        for (const id of ids) {
          for (const other of ids) {
            if (sideA.has(id) !== sideA.has(other)) expect(r.member(id).isAlive(other), `${id} sees ${other} down`).toBe(false);
          }
        }
        r.blocked = () => false;
        r.runUntil(305 * P);
        expectConverged(r, ids);
      }),
      { numRuns: 20 },
    );
  });

  it('crash and restart: a member declared dead that restarts with no memory rejoins at a higher incarnation everywhere', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 3, max: 7 }), fc.nat(), (seed, n, pick) => {
        const ids = idsOf(n);
        const victim = ids[pick % n]!;
        const r = new SwimRouter({ ids, config, seed, delayUsMin: 1_000, delayUsMax: 50_000 });
        r.joinAll(0);
        r.runUntil(10 * P);
        r.crash(victim);
        r.runUntil(60 * P);
        for (const id of ids) if (id !== victim) expect(r.member(id).isAlive(victim)).toBe(false);
        r.restart(victim, 60 * P);
        r.runUntil(120 * P);
        expect(r.member(victim).incarnation()).toBeGreaterThan(0);
        expectConverged(r, ids);
        expect(r.eventsOf('memberAlive').some((e) => e.event.type === 'memberAlive' && e.event.reason === 'rejoined')).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('graceful leave: every member marks the leaver left within one message delay, and no one suspects it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 3, max: 8 }), fc.nat(), (seed, n, pick) => {
        const ids = idsOf(n);
        const leaver = ids[pick % n]!;
        const r = new SwimRouter({ ids, config, seed, delayUsMin: 1_000, delayUsMax: 50_000 });
        r.joinAll(0);
        r.runUntil(10 * P);
        r.leave(leaver, 10 * P);
        r.runUntil(10 * P + 50_000);
        for (const id of ids) {
          if (id !== leaver) expect(r.member(id).view().find((v) => v.id === leaver)!.status).toBe('left');
        }
        r.runUntil(60 * P);
        expect(r.eventsOf('memberSuspected')).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('replay: the same seed gives the same trace, event for event', () => {
    const run = (seed: number): string => {
      const ids = idsOf(5);
      const r = new SwimRouter({ ids, config, seed, delayUsMin: 1_000, delayUsMax: 200_000, lossRate: 0.1 });
      r.joinAll(0);
      r.runUntil(10 * P);
      r.crash('n2');
      r.runUntil(60 * P);
      return JSON.stringify(r.events);
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });
});
