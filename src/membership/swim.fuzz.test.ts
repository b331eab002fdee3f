// Fuzzing SwimMember with arbitrary inputs, including malformed network messages: it must never
// throw (network input is data, not trust), and its bounds must hold after every step.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SwimMember } from './swim';
import { seededRandom } from './testing/random';
import { transcriptConfig } from './testing/transcript';
import type { SwimInput, SwimTimer } from './types';

const config = { ...transcriptConfig, membersMax: 6, updatesMax: 5, pendingRelaysMax: 2, piggybackMax: 3, syncEveryPeriods: 2 };
const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const id = fc.constantFrom(...ids);
const junk = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.string({ maxLength: 3 }), fc.constant(Number.NaN));
const updateArb = fc.oneof(
  fc.record({ member: id, status: fc.constantFrom('alive', 'suspect', 'dead', 'left'), incarnation: fc.integer({ min: 0, max: 4 }), by: id }),
  fc.record({ member: junk, status: junk, incarnation: junk, by: junk }),
  junk,
);
const updates = fc.array(updateArb, { maxLength: 10 });
const seq = fc.oneof(fc.integer({ min: 0, max: 40 }), junk);
const message = fc.oneof(
  fc.record({ type: fc.constantFrom('ping', 'ack', 'pingReq', 'nack'), seq, target: fc.oneof(id, junk), updates: fc.oneof(updates, junk) }),
  fc.record({ type: fc.constant('sync'), reply: fc.oneof(fc.boolean(), junk), states: fc.oneof(updates, junk) }),
  fc.record({ type: fc.string({ maxLength: 4 }) }),
);
const timer = fc.constantFrom<SwimTimer>('swim.probe', 'swim.probeTimeout', 'swim.suspicion', 'swim.relay');
const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('message' as const), from: id, message }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('timerFired' as const), timer }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const) }) },
);

describe('SwimMember under arbitrary input', () => {
  it('never throws on malformed network input, and keeps its table, queue and piggybacks within bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.tuple(step, fc.integer({ min: 0, max: 3_000_000 })), { maxLength: 80 }), (seed, steps) => {
        const m = new SwimMember('a', config, ['b', 'c'], seededRandom(seed));
        let nowUs = 0;
        m.step({ kind: 'join', nowUs });
        for (const [s, advanceUs] of steps) {
          nowUs += advanceUs;
          const effects = m.step({ ...s, nowUs } as unknown as SwimInput);
          expect(m.view().length).toBeLessThanOrEqual(config.membersMax);
          expect(m.pendingBroadcasts().length).toBeLessThanOrEqual(config.updatesMax);
          for (const e of effects) {
            if (e.kind === 'send' && e.message.type !== 'sync') expect(e.message.updates.length).toBeLessThanOrEqual(config.piggybackMax);
            if (e.kind === 'send' && e.message.type === 'sync') expect(e.message.states.length).toBeLessThanOrEqual(config.membersMax);
            if (e.kind === 'send') expect(e.to).not.toBe('a');
          }
          for (const v of m.view()) if (v.id !== 'a' && v.status === 'suspect') expect(m.isAlive(v.id)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
