// The host adapter maps host inputs and effects one to one and adds nothing.

import { describe, expect, it } from 'vitest';
import { SwimProcess } from './host-adapter';
import { SwimMember } from './swim';
import { lowestRandom } from './testing/random';
import { gossip, transcriptConfig, update } from './testing/transcript';

describe('SwimProcess host adapter', () => {
  it('start joins: syncs become sends and the probe timer a named host timer', () => {
    const p = new SwimProcess(new SwimMember('a', transcriptConfig, ['b'], lowestRandom()));
    const effects = p.step({ kind: 'start', nowUs: 0 });
    expect(effects).toEqual([
      { kind: 'send', to: 'b', message: { type: 'sync', reply: true, states: [update('a', 'alive', 0), update('b', 'alive', 0)] } },
      { kind: 'setTimer', name: 'swim.probe', atLocalUs: 1 },
    ]);
  });

  it('events become trace notes with flat fields; timers that are not SWIM timers are ignored', () => {
    const p = new SwimProcess(new SwimMember('a', transcriptConfig, ['b', 'x'], lowestRandom()));
    p.step({ kind: 'start', nowUs: 0 });
    expect(p.step({ kind: 'timer', name: 'raft.election', nowUs: 5 })).toEqual([]);
    const effects = p.step({ kind: 'message', from: 'b', message: gossip([update('x', 'left', 0)]), nowUs: 10 });
    expect(effects).toEqual([{ kind: 'note', event: 'memberLeft', fields: { member: 'x', incarnation: 0 } }]);
  });

  it('an external leave request leaves gracefully', () => {
    const p = new SwimProcess(new SwimMember('a', transcriptConfig, ['b'], lowestRandom()));
    p.step({ kind: 'start', nowUs: 0 });
    p.step({ kind: 'external', request: { op: 'leave' }, nowUs: 10 });
    expect(p.member.isAlive('a')).toBe(false);
  });
});
