// Transcript tests for SwimMember: each feeds inputs by hand and asserts the exact effects,
// one SWIM / Lifeguard rule per test, named after the rule.

import { describe, expect, it } from 'vitest';
import type { SwimConfig } from './config';
import { seededRandom } from './testing/random';
import { Transcript, ack, gossip, transcriptConfig, update } from './testing/transcript';
import type { MemberUpdate, SwimMessage } from './types';

const P = transcriptConfig.protocolPeriodUs;
const PT = transcriptConfig.probeTimeoutUs;

function updatesOf(message: SwimMessage): readonly MemberUpdate[] {
  return message.type === 'sync' ? message.states : message.updates;
}

/** Join at 0 and run the first tick; returns the transcript and the first probe. */
function started(self = 'a', peers = ['b', 'c', 'd', 'e'], config: SwimConfig = transcriptConfig) {
  const t = new Transcript(self, peers, config);
  t.join(0);
  t.fire('swim.probe');
  return { t, probe: t.ping() };
}

describe('join', () => {
  it('announces self to every initial member with a sync asking for their tables, and arms the first probe within one period', () => {
    const t = new Transcript('a', ['c', 'b', 'd']);
    t.join(5_000);
    const sends = t.sends();
    expect(sends.map((s) => s.to)).toEqual(['b', 'c', 'd']);
    for (const s of sends) {
      expect(s.message).toMatchObject({ type: 'sync', reply: true });
      expect(updatesOf(s.message)).toContainEqual(update('a', 'alive', 0));
    }
    const at = t.timers.get('swim.probe')!;
    expect(at).toBeGreaterThan(5_000);
    expect(at).toBeLessThanOrEqual(5_000 + P);
  });

  it('a new member joins through a seed: the seed adds it and answers with its table', () => {
    const seed = new Transcript('s', ['t', 'u']);
    seed.join(0);
    const joiner = new Transcript('n', ['s']);
    joiner.join(10);
    const [hello] = joiner.sends();
    expect(hello!.to).toBe('s');
    seed.receive('n', hello!.message, 20);
    expect(seed.events()).toContainEqual({ type: 'memberJoined', member: 'n', incarnation: 0 });
    const [reply] = seed.sends();
    expect(reply).toMatchObject({ to: 'n', message: { type: 'sync', reply: false } });
    joiner.receive('s', reply!.message, 30);
    expect(joiner.member.view().map((v) => `${v.id}:${v.status}`)).toEqual(['n:alive', 's:alive', 't:alive', 'u:alive']);
  });

  it('a restarted member told it is dead at incarnation 2 rejoins at incarnation 3, and its peers accept it', () => {
    const seed = new Transcript('s', ['n', 't']);
    seed.join(0);
    seed.receive('t', gossip([update('n', 'dead', 2, 't')]), 10);
    expect(seed.member.deadSince('n')).toBe(10);
    const reborn = new Transcript('n', ['s', 't']);
    reborn.join(100);
    const toSeed = reborn.sends().find((s) => s.to === 's')!;
    seed.receive('n', toSeed.message, 110);
    const reply = seed.sends().find((s) => s.to === 'n')!;
    reborn.receive('s', reply.message, 120);
    expect(reborn.events()).toContainEqual({ type: 'refuted', incarnation: 3, accusation: 'dead', by: 't' });
    reborn.fire('swim.probe');
    const ping = reborn.ping();
    expect(updatesOf(ping.message)).toContainEqual(update('n', 'alive', 3));
    seed.receive('n', ping.message, 130);
    expect(seed.events()).toContainEqual({ type: 'memberAlive', member: 'n', incarnation: 3, reason: 'rejoined' });
    expect(seed.member.isAlive('n')).toBe(true);
    expect(seed.member.deadSince('n')).toBeNull();
  });
});

describe('probing', () => {
  it('round-robin: every member is probed exactly once per round, and rounds are reshuffled', () => {
    const peers = ['b', 'c', 'd', 'e', 'f'];
    let reshuffled = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const t = new Transcript('a', peers, transcriptConfig, seededRandom(seed));
      t.join(0);
      const rounds: string[][] = [];
      for (let round = 0; round < 4; round++) {
        const targets: string[] = [];
        for (let i = 0; i < peers.length; i++) {
          t.fire('swim.probe');
          const p = t.ping();
          targets.push(p.to);
          t.receive(p.to, ack(p.seq, p.to), t.timers.get('swim.probe')! - 1);
        }
        expect([...targets].sort()).toEqual(peers);
        rounds.push(targets);
      }
      for (let r = 1; r < rounds.length; r++) if (rounds[r]!.join() !== rounds[r - 1]!.join()) reshuffled += 1;
    }
    expect(reshuffled).toBeGreaterThan(0);
  });

  it('a direct ack before the probe timeout means no indirect probe and no suspicion', () => {
    const { t, probe } = started();
    t.receive(probe.to, ack(probe.seq, probe.to), 1 + 100);
    t.fire('swim.probeTimeout');
    expect(t.sends()).toEqual([]);
    t.fire('swim.probe');
    expect(t.events().filter((e) => e.type === 'probeTimedOut' || e.type === 'memberSuspected')).toEqual([]);
  });

  it('no ack by the probe timeout: ping-req to k alive members other than the target, carrying the probe seq', () => {
    const { t, probe } = started('a', ['b', 'c', 'd', 'e', 'f']);
    expect(t.timers.get('swim.probeTimeout')).toBe(1 + PT);
    t.fire('swim.probeTimeout');
    const reqs = t.sends();
    expect(reqs).toHaveLength(transcriptConfig.indirectProbes);
    const helpers = new Set(reqs.map((r) => r.to));
    expect(helpers.size).toBe(3);
    expect(helpers.has(probe.to)).toBe(false);
    for (const r of reqs) expect(r.message).toMatchObject({ type: 'pingReq', seq: probe.seq, target: probe.to });
    expect(t.events()).toEqual([{ type: 'indirectProbe', member: probe.to, seq: probe.seq, helpers: 3 }]);
  });

  it('with fewer alive members than k, every other alive member is asked', () => {
    const { t, probe } = started('a', ['b', 'c']);
    t.fire('swim.probeTimeout');
    expect(t.sends().map((s) => s.to)).toEqual([probe.to === 'b' ? 'c' : 'b']);
  });

  it('an ack forwarded by a helper counts as the target answering', () => {
    const { t, probe } = started();
    t.fire('swim.probeTimeout');
    const helper = t.sends()[0]!.to;
    t.receive(helper, ack(probe.seq, probe.to), 1 + PT + 50_000);
    t.fire('swim.probe');
    expect(t.events().filter((e) => e.type === 'memberSuspected')).toEqual([]);
  });

  it('an ack with the wrong seq or naming another member is ignored', () => {
    const { t, probe } = started();
    t.receive(probe.to, ack(probe.seq + 1, probe.to), 10);
    t.receive('z', ack(probe.seq, 'z'), 10);
    t.fire('swim.probe');
    expect(t.events()).toContainEqual(expect.objectContaining({ type: 'memberSuspected', member: probe.to }));
  });

  it('a helper pings the target with its own seq and forwards the ack with the requester seq', () => {
    const h = new Transcript('h', ['r', 'x']);
    h.join(0);
    h.receive('r', { type: 'pingReq', seq: 77, target: 'x', updates: [] }, 1_000);
    const ping = h.ping();
    expect(ping.to).toBe('x');
    h.receive('x', ack(ping.seq, 'x'), 2_000);
    expect(h.sends()).toEqual([{ to: 'r', message: { type: 'ack', seq: 77, target: 'x', updates: expect.any(Array) } }]);
    // The relay is finished: its timer sends no nack.
    h.fire('swim.relay');
    expect(h.sends()).toEqual([]);
  });

  it('Lifeguard nack: a helper that hears nothing from the target by 80% of a probe timeout tells the requester', () => {
    const h = new Transcript('h', ['r', 'x']);
    h.join(0);
    h.receive('r', { type: 'pingReq', seq: 77, target: 'x', updates: [] }, 1_000);
    expect(h.timers.get('swim.relay')).toBe(1_000 + (PT * 4) / 5);
    h.fire('swim.relay');
    expect(h.sends()).toEqual([{ to: 'r', message: { type: 'nack', seq: 77, target: 'x', updates: expect.any(Array) } }]);
  });

  it('Lifeguard local health: a failed probe without nacks raises the score and stretches the period; a success lowers it', () => {
    const { t, probe } = started();
    t.fire('swim.probeTimeout');
    const now = t.timers.get('swim.probe')!;
    t.fire('swim.probe');
    expect(t.events()).toContainEqual({ type: 'localHealthChanged', score: 3 });
    expect(t.member.localHealthScore()).toBe(3);
    expect(t.timers.get('swim.probe')).toBe(now + 4 * P);
    expect(t.timers.get('swim.probeTimeout')).toBe(now + 4 * PT);
    const next = t.ping();
    expect(next.to).not.toBe(probe.to);
    t.receive(next.to, ack(next.seq, next.to), now + 10);
    t.fire('swim.probe');
    expect(t.member.localHealthScore()).toBe(2);
  });

  it('Lifeguard local health: nacks from every helper mean the target, not us, is at fault', () => {
    const { t, probe } = started();
    t.fire('swim.probeTimeout');
    for (const r of t.sends()) t.receive(r.to, { type: 'nack', seq: probe.seq, target: probe.to, updates: [] }, 1 + PT + 400_000);
    t.fire('swim.probe');
    expect(t.member.localHealthScore()).toBe(0);
    expect(t.events()).toContainEqual(expect.objectContaining({ type: 'probeTimedOut', member: probe.to, nacks: 3 }));
  });
});

describe('suspicion and death', () => {
  it('a probe unanswered by the end of its period makes the target suspect at its incarnation, gossiped on the next message', () => {
    const { t, probe } = started();
    t.fire('swim.probeTimeout');
    t.fire('swim.probe');
    expect(t.events()).toContainEqual(expect.objectContaining({ type: 'probeTimedOut', member: probe.to, seq: probe.seq }));
    expect(t.events()).toContainEqual(expect.objectContaining({ type: 'memberSuspected', member: probe.to, incarnation: 0, by: 'a' }));
    expect(updatesOf(t.ping().message)).toContainEqual(update(probe.to, 'suspect', 0, 'a'));
    expect(t.member.isAlive(probe.to)).toBe(true);
    expect(t.member.view().find((v) => v.id === probe.to)!.status).toBe('suspect');
  });

  it('with no confirmation a suspect is declared dead after the maximum timeout: beta x alpha x P = 6 x 4 x 1 s', () => {
    // n = 5 live members, so scale = max(1, ceil(log10 5)) = 1; min = 4 x 1 x 1 s = 4 s; max = 6 x 4 s = 24 s.
    const { t, probe } = started();
    t.fire('swim.probeTimeout');
    const suspectedAt = t.timers.get('swim.probe')!;
    t.fire('swim.probe');
    expect(t.timers.get('swim.suspicion')).toBe(suspectedAt + 24_000_000);
    t.fire('swim.suspicion');
    expect(t.events()).toEqual([{ type: 'memberConfirmedDead', member: probe.to, incarnation: 0, by: 'a' }]);
    expect(t.member.isAlive(probe.to)).toBe(false);
    expect(t.member.deadSince(probe.to)).toBe(suspectedAt + 24_000_000);
    expect(t.member.deadLongerThan(1_000_000, suspectedAt + 25_000_000)).toEqual([probe.to]);
  });

  it('Lifeguard: each independent confirmation shrinks the timeout, max - (max - min) log(C + 1) / log(K + 1)', () => {
    // n = 6: min 4 s, max 24 s, K = min(3, n - 2) = 3.
    //   C = 1: 24 - 20 x log 2 / log 4 = 24 - 10        = 14 s
    //   C = 2: 24 - 20 x log 3 / log 4 = 24 - 15.849625 = 8.150375 s
    //   C = 3: 24 - 20                                   = 4 s
    const t = new Transcript('a', ['b', 'c', 'd', 'e', 'x']);
    t.join(0);
    t.receive('b', gossip([update('x', 'suspect', 0, 'b')]), 1_000_000);
    expect(t.timers.get('swim.suspicion')).toBe(1_000_000 + 24_000_000);
    t.receive('c', gossip([update('x', 'suspect', 0, 'c')]), 2_000_000);
    expect(t.events()).toContainEqual({ type: 'suspicionConfirmed', member: 'x', incarnation: 0, by: 'c', confirmations: 1 });
    expect(t.timers.get('swim.suspicion')).toBe(1_000_000 + 14_000_000);
    t.receive('c', gossip([update('x', 'suspect', 0, 'c')]), 2_500_000);
    expect(t.last).toEqual([]);
    t.receive('d', gossip([update('x', 'suspect', 0, 'd')]), 3_000_000);
    expect(Math.abs(t.timers.get('swim.suspicion')! - (1_000_000 + 8_150_375))).toBeLessThanOrEqual(1);
    t.receive('e', gossip([update('x', 'suspect', 0, 'e')]), 4_000_000);
    expect(t.timers.get('swim.suspicion')).toBe(1_000_000 + 4_000_000);
    t.fire('swim.suspicion');
    expect(t.events()).toEqual([{ type: 'memberConfirmedDead', member: 'x', incarnation: 0, by: 'a' }]);
  });

  it('a confirmation that moves the deadline into the past declares the member dead at once', () => {
    const t = new Transcript('a', ['b', 'c', 'd', 'x']);
    t.join(0);
    t.receive('b', gossip([update('x', 'suspect', 0, 'b')]), 0);
    t.receive('c', gossip([update('x', 'suspect', 0, 'c')]), 20_000_000);
    expect(t.events()).toContainEqual({ type: 'memberConfirmedDead', member: 'x', incarnation: 0, by: 'a' });
  });

  it('a suspicion timer firing after the member refuted kills nobody', () => {
    const t = new Transcript('a', ['b', 'x']);
    t.join(0);
    t.receive('b', gossip([update('x', 'suspect', 0, 'b')]), 0);
    t.receive('x', gossip([update('x', 'alive', 1)]), 1_000);
    expect(t.events()).toEqual([{ type: 'memberAlive', member: 'x', incarnation: 1, reason: 'refuted' }]);
    t.fire('swim.suspicion');
    expect(t.events()).toEqual([]);
    expect(t.member.isAlive('x')).toBe(true);
  });
});

describe('refutation and precedence', () => {
  it('a suspected member refutes: incarnation + 1, gossiped alive first thing; a stale accusation does not raise it again', () => {
    const t = new Transcript('a', ['b', 'c']);
    t.join(0);
    t.receive('b', gossip([update('a', 'suspect', 0, 'b')]), 100);
    expect(t.events()).toEqual([
      { type: 'refuted', incarnation: 1, accusation: 'suspect', by: 'b' },
      { type: 'localHealthChanged', score: 1 },
    ]);
    expect(t.member.incarnation()).toBe(1);
    t.receive('c', gossip([update('a', 'suspect', 0, 'c')]), 200);
    expect(t.last).toEqual([{ kind: 'send', to: 'c', message: { type: 'sync', reply: false, states: [update('a', 'alive', 1)] } }]);
    expect(t.member.incarnation()).toBe(1);
    t.receive('c', gossip([update('a', 'dead', 1, 'c')]), 300);
    expect(t.member.incarnation()).toBe(2);
    t.fire('swim.probe');
    const updates = updatesOf(t.ping().message);
    expect(updates).toContainEqual(update('a', 'alive', 2));
    expect(updates).not.toContainEqual(update('a', 'alive', 1));
  });

  it('an accusation already refuted is answered with the current incarnation: an accuser that missed the refutation learns it from the reply', () => {
    // Regression (cache scenario partition, seed 42): n3 missed n2's refutation (alive@3, sent a
    // bounded number of times) and declared n2 dead@2 while its pings to n2 were being acked.
    const t = new Transcript('a', ['b', 'c']);
    t.join(0);
    t.receive('b', gossip([update('a', 'suspect', 0, 'b')]), 100);
    expect(t.member.incarnation()).toBe(1);
    for (let i = 0; i < 20; i++) t.fire('swim.probe'); // the refutation's transmissions run out
    t.receive('c', { type: 'ping', seq: 7, target: 'a', updates: [update('a', 'suspect', 0, 'c')] }, 5_000_000);
    expect(t.sends()).toContainEqual({ to: 'c', message: { type: 'sync', reply: false, states: [update('a', 'alive', 1)] } });
    expect(t.member.incarnation()).toBe(1); // re-asserted, not raised
    // In an ack too (the accuser answering our probe), not only in a ping.
    t.receive('b', ack(1, 'b', [update('a', 'dead', 0, 'b')]), 5_100_000);
    expect(t.sends()).toEqual([{ to: 'b', message: { type: 'sync', reply: false, states: [update('a', 'alive', 1)] } }]);
  });

  it('a message to an accused member carries the accusation first, so it can refute at once', () => {
    const t = new Transcript('a', ['b', 'x']);
    t.join(0);
    t.receive('b', gossip([update('x', 'suspect', 0, 'b')]), 10);
    t.receive('x', { type: 'ping', seq: 9, target: 'a', updates: [] }, 20);
    const [reply] = t.sends();
    expect(reply!.to).toBe('x');
    expect(updatesOf(reply!.message)[0]).toEqual(update('x', 'suspect', 0, 'b'));
  });

  // (current, incoming) -> result, for a member x: higher incarnation wins; equal incarnation:
  // left > dead > suspect > alive.
  const table: [MemberUpdate['status'], number, MemberUpdate['status'], number, string][] = [
    ['alive', 1, 'suspect', 1, 'suspect@1'],
    ['suspect', 1, 'alive', 1, 'suspect@1'],
    ['suspect', 1, 'alive', 2, 'alive@2'],
    ['alive', 2, 'suspect', 1, 'alive@2'],
    ['suspect', 1, 'dead', 1, 'dead@1'],
    ['dead', 1, 'suspect', 1, 'dead@1'],
    ['dead', 1, 'alive', 1, 'dead@1'],
    ['dead', 1, 'alive', 2, 'alive@2'],
    ['dead', 1, 'suspect', 2, 'suspect@2'],
    ['alive', 1, 'dead', 0, 'alive@1'],
    ['left', 1, 'dead', 1, 'left@1'],
    ['dead', 1, 'left', 1, 'left@1'],
    ['left', 1, 'alive', 2, 'alive@2'],
    ['alive', 1, 'alive', 1, 'alive@1'],
    ['suspect', 1, 'suspect', 2, 'suspect@2'],
  ];
  for (const [cs, ci, is, ii, expected] of table) {
    it(`precedence: ${cs}@${ci} then ${is}@${ii} gives ${expected}`, () => {
      const t = new Transcript('a', ['b', 'x']);
      t.join(0);
      t.receive('b', gossip([update('x', cs, ci, 'b')]), 10);
      t.receive('b', gossip([update('x', is, ii, 'b')]), 20);
      const v = t.member.view().find((m) => m.id === 'x')!;
      expect(`${v.status}@${v.incarnation}`).toBe(expected);
    });
  }
});

describe('dissemination', () => {
  it('each update is piggybacked exactly lambda x ceil(log10(n + 1)) times, at most piggybackMax per message', () => {
    // 4 peers + self + 20 new members: n = 25 live, limit = 4 x ceil(log10 26) = 4 x 2 = 8.
    const t = new Transcript('a', ['b', 'c', 'd', 'e']);
    t.join(0);
    const newcomers = Array.from({ length: 20 }, (_, i) => update(`m${String(i).padStart(2, '0')}`, 'alive', 0));
    t.receive('b', gossip(newcomers), 10);
    const carried = new Map<string, number>();
    for (let tick = 0; tick < 40; tick++) {
      t.fire('swim.probe');
      const p = t.ping();
      const updates = updatesOf(p.message);
      expect(updates.length).toBeLessThanOrEqual(transcriptConfig.piggybackMax);
      for (const u of updates) carried.set(`${u.member}:${u.status}`, (carried.get(`${u.member}:${u.status}`) ?? 0) + 1);
      t.receive(p.to, ack(p.seq, p.to), t.timers.get('swim.probe')! - 1);
    }
    expect(carried.get('a:alive')).toBe(8);
    for (const u of newcomers) expect(carried.get(`${u.member}:alive`)).toBe(8);
    expect(t.member.pendingBroadcasts()).toEqual([]);
  });

  it('an incoming message is read only up to the piggyback cap', () => {
    const t = new Transcript('a', ['b']);
    t.join(0);
    const many = Array.from({ length: 12 }, (_, i) => update(`m${String(i).padStart(2, '0')}`, 'alive', 0));
    t.receive('b', { type: 'ping', seq: 1, target: 'a', updates: many }, 10);
    expect(t.events().filter((e) => e.type === 'memberJoined')).toHaveLength(transcriptConfig.piggybackMax);
  });

  it('malformed updates from the network are dropped, not trusted', () => {
    const t = new Transcript('a', ['b']);
    t.join(0);
    const bad = [
      { member: 'x', status: 'alive', incarnation: -1, by: 'x' },
      { member: 'x', status: 'alive', incarnation: 1.5, by: 'x' },
      { member: 'x', status: 'zombie', incarnation: 1, by: 'x' },
      { status: 'alive', incarnation: 1, by: 'x' },
      null,
      { member: 'a', status: 'dead', incarnation: Number.NaN, by: 'b' },
    ] as unknown as MemberUpdate[];
    t.receive('b', gossip(bad), 10);
    expect(t.last).toEqual([]);
    expect(t.member.view().map((v) => v.id)).toEqual(['a', 'b']);
  });
});

describe('leave', () => {
  it('a leaving member tells every alive member, then ignores pings and timers', () => {
    const t = new Transcript('a', ['b', 'c']);
    t.join(0);
    t.leave(500);
    expect(t.sends()).toEqual([
      { to: 'b', message: { type: 'sync', reply: false, states: [update('a', 'left', 0)] } },
      { to: 'c', message: { type: 'sync', reply: false, states: [update('a', 'left', 0)] } },
    ]);
    expect(t.events()).toEqual([{ type: 'memberLeft', member: 'a', incarnation: 0 }]);
    t.receive('b', { type: 'ping', seq: 1, target: 'a', updates: [] }, 600);
    expect(t.last).toEqual([]);
    t.fire('swim.probe', 2_000_000);
    expect(t.last).toEqual([]);
    expect(t.member.isAlive('a')).toBe(false);
  });

  it('peers mark a left member left, never probe it, and accept it back when it rejoins at a higher incarnation', () => {
    const leaver = new Transcript('a', ['b', 'c']);
    leaver.join(0);
    const b = new Transcript('b', ['a', 'c']);
    b.join(0);
    leaver.leave(500);
    b.receive('a', leaver.sends().find((s) => s.to === 'b')!.message, 510);
    expect(b.events()).toEqual([{ type: 'memberLeft', member: 'a', incarnation: 0 }]);
    expect(b.member.deadSince('a')).toBe(510);
    for (let i = 0; i < 4; i++) {
      b.fire('swim.probe');
      const p = b.ping();
      expect(p.to).toBe('c');
      b.receive('c', ack(p.seq, 'c'), b.timers.get('swim.probe')! - 1);
    }
    leaver.join(9_000_000);
    expect(leaver.member.incarnation()).toBe(1);
    b.receive('a', leaver.sends().find((s) => s.to === 'b')!.message, 9_000_010);
    expect(b.events()).toContainEqual({ type: 'memberAlive', member: 'a', incarnation: 1, reason: 'rejoined' });
  });
});

describe('anti-entropy and queries', () => {
  it('every syncEveryPeriods ticks a member pushes its whole table to one random member, dead ones included, asking for theirs', () => {
    // A Random that always answers its highest value, so the pick is the last candidate: x.
    const highest = { next: () => 0.999_999, int: (m: number) => m - 1, intBetween: (_: number, max: number) => max, chance: () => false };
    const t = new Transcript('a', ['b', 'x'], { ...transcriptConfig, syncEveryPeriods: 3 }, highest);
    t.join(0);
    t.receive('b', gossip([update('x', 'dead', 0, 'b')]), 10);
    const syncs: string[] = [];
    for (let tick = 1; tick <= 6; tick++) {
      t.fire('swim.probe');
      for (const s of t.sends()) if (s.message.type === 'sync') syncs.push(`${tick}:${s.to}`);
      const p = t.ping();
      t.receive(p.to, ack(p.seq, p.to), t.timers.get('swim.probe')! - 1);
    }
    expect(syncs).toEqual(['3:x', '6:x']);
    const sync = t.sends(t.log).filter((s) => s.message.type === 'sync' && s.message.reply).at(-1)!;
    expect(updatesOf(sync.message)).toEqual([update('a', 'alive', 0), update('b', 'alive', 0), update('x', 'dead', 0, 'b')]);
  });

  it('view reports phi from the acks: low right after a regular ack, rising while acks stop', () => {
    const t = new Transcript('a', ['b']);
    t.join(0);
    for (let i = 0; i < 6; i++) {
      t.fire('swim.probe');
      const p = t.ping();
      t.receive('b', ack(p.seq, 'b'), t.timers.get('swim.probe')! - 500_000);
    }
    const at = t.timers.get('swim.probe')!;
    const phiOf = (nowUs: number) => t.member.view(nowUs).find((v) => v.id === 'b')!.phi;
    expect(phiOf(at)).toBeLessThan(1);
    expect(phiOf(at + 5_000_000)).toBeGreaterThan(8);
    expect(t.member.view(at).find((v) => v.id === 'a')!.phi).toBe(0);
  });
});

describe('bounds', () => {
  it('the member table is capped: a newcomer evicts the longest-dead member, or is rejected', () => {
    const config = { ...transcriptConfig, membersMax: 4 };
    const t = new Transcript('a', ['b', 'c'], config);
    t.join(0);
    t.receive('b', gossip([update('d', 'alive', 0)]), 10);
    t.receive('b', gossip([update('e', 'alive', 0)]), 20);
    expect(t.events()).toEqual([{ type: 'memberRejected', member: 'e', reason: 'membersFull' }]);
    t.receive('b', gossip([update('c', 'dead', 0, 'b')]), 30);
    t.receive('b', gossip([update('e', 'alive', 0)]), 40);
    expect(t.events()).toEqual([
      { type: 'memberEvicted', member: 'c', status: 'dead' },
      { type: 'memberJoined', member: 'e', incarnation: 0 },
    ]);
    expect(t.member.view().map((v) => v.id)).toEqual(['a', 'b', 'd', 'e']);
  });

  it('indirect probes run for others are capped at pendingRelaysMax', () => {
    const t = new Transcript('h', ['r', 'x', 'y', 'z'], { ...transcriptConfig, pendingRelaysMax: 2 });
    t.join(0);
    t.receive('r', { type: 'pingReq', seq: 1, target: 'x', updates: [] }, 10);
    t.receive('r', { type: 'pingReq', seq: 2, target: 'y', updates: [] }, 10);
    t.receive('r', { type: 'pingReq', seq: 3, target: 'z', updates: [] }, 10);
    expect(t.sends()).toEqual([]);
    expect(t.events()).toEqual([{ type: 'relayDropped', target: 'z', requester: 'r' }]);
  });

  it('an invalid configuration is refused at construction with the field named', () => {
    expect(() => new Transcript('a', ['b'], { ...transcriptConfig, probeTimeoutUs: P })).toThrow(/probeTimeoutUs/);
  });
});
