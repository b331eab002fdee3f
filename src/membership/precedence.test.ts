// The precedence rule between updates: a strict total order on (incarnation, status), which is
// what makes gossip converge whatever the delivery order.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overrides } from './precedence';
import { Transcript, gossip, update } from './testing/transcript';
import type { MemberStatus } from './types';

const status = fc.constantFrom<MemberStatus>('alive', 'suspect', 'dead', 'left');
const claim = fc.tuple(fc.integer({ min: 0, max: 4 }), status);

describe('precedence', () => {
  it('at equal incarnation: left > dead > suspect > alive', () => {
    expect(overrides(3, 'suspect', 3, 'alive')).toBe(true);
    expect(overrides(3, 'dead', 3, 'suspect')).toBe(true);
    expect(overrides(3, 'left', 3, 'dead')).toBe(true);
    expect(overrides(3, 'alive', 3, 'suspect')).toBe(false);
    expect(overrides(3, 'alive', 3, 'alive')).toBe(false);
  });

  it('a higher incarnation wins over any status, a lower one over none', () => {
    expect(overrides(4, 'alive', 3, 'left')).toBe(true);
    expect(overrides(2, 'left', 3, 'alive')).toBe(false);
  });

  it('is a strict total order: irreflexive, and exactly one of two different claims overrides the other', () => {
    fc.assert(
      fc.property(claim, claim, ([ai, as], [bi, bs]) => {
        const ab = overrides(ai, as, bi, bs);
        const ba = overrides(bi, bs, ai, as);
        if (ai === bi && as === bs) expect(ab || ba).toBe(false);
        else expect(ab !== ba).toBe(true);
      }),
    );
  });

  it('a member ends with the same belief whatever order the same updates arrive in', () => {
    fc.assert(
      fc.property(fc.array(claim, { minLength: 1, maxLength: 8 }), fc.func(fc.integer()), (claims, key) => {
        const updates = claims.map(([inc, st]) => update('x', st, inc, 'b'));
        const shuffled = [...updates].sort((p, q) => key(JSON.stringify(p)) - key(JSON.stringify(q)));
        const belief = (us: typeof updates): string => {
          const t = new Transcript('a', ['b', 'x']);
          t.join(0);
          us.forEach((u, i) => t.receive('b', gossip([u]), 10 + i));
          const v = t.member.view().find((m) => m.id === 'x')!;
          return `${v.status}@${v.incarnation}`;
        };
        expect(belief(shuffled)).toBe(belief(updates));
      }),
    );
  });
});
