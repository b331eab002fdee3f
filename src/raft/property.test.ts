// A fast-check property over whole clusters of cores: random delivery orders, drops, duplicate
// deliveries, slow and out-of-step persistence, crashes that lose unsynced writes, restarts,
// partitions, drifting clocks, snapshots, membership changes and client traffic. After every
// step the invariant monitor checks the Raft safety properties (and lease safety); the property
// is that it never finds a violation.
// (The full simulated world with clocks, latency and disk faults comes later, in sim/.)

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RaftInvariantMonitor } from '../../checkers/raft/monitor';
import { TestCluster, text } from './testing/network';
import type { Envelope } from './testing/network';

type Op = readonly [kind: number, a: number, b: number];

const IDS = ['n1', 'n2', 'n3', 'n4', 'n5'];

interface Outcome {
  readonly violations: string[];
  readonly committedMax: number;
  /** Every node's final view and every client answer, as text: equal runs give equal fingerprints. */
  readonly fingerprint: string;
}

function run(seed: number, ops: readonly Op[], voters: number, faults: boolean): Outcome {
  const ids = IDS.slice(0, voters);
  // With faults, clocks also drift: each within 2% of true time, well inside the 10% bound the
  // lease assumes, so lease safety must hold too.
  const clockRates: Record<string, number> = {};
  if (faults) [...ids, 'n6'].forEach((id, i) => { clockRates[id] = 1 + (((seed >> i) % 41) - 20) / 1_000; });
  const c = new TestCluster({
    voters: ids, spare: ['n6'], seed, autoPersist: false, clockRates,
    config: { snapshotThresholdEntries: 6, snapshotChunkBytes: 32, appendEntriesMax: 3, inflightAppendsMax: 2, learnerCatchUpMarginEntries: 4 },
  });
  const monitor = new RaftInvariantMonitor();
  c.observer = (cl) => monitor.observe(cl.observation());
  let writes = 0;
  const pick = <T>(xs: readonly T[], a: number): T | undefined => (xs.length === 0 ? undefined : xs[a % xs.length]);
  const all = [...c.nodes.keys()];
  for (const [kind, a, b] of ops) {
    const alive = all.filter((id) => c.node(id).alive);
    switch (kind % 16) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4: {
        // Deliver one in-flight message, chosen at random (reordering).
        const e = pick(c.inFlight, a);
        if (e !== undefined) c.deliver((x: Envelope) => x === e);
        break;
      }
      case 5: {
        // Deliver a copy, keeping the original in flight (duplication).
        const e = pick(c.inFlight, a);
        if (e !== undefined && c.node(e.to).alive) c.input(e.to, { kind: 'receive', from: e.from, message: e.message });
        break;
      }
      case 6:
      case 7:
      case 8: {
        // Complete the oldest outstanding write of one node (nodes' disks run out of step).
        const id = pick(alive.filter((x) => c.node(x).unsynced.length > 0), a);
        if (id !== undefined) c.completeSync(id);
        break;
      }
      case 9:
      case 10:
        c.advance(1_000 + (b % 20) * 1_000);
        break;
      case 11:
      case 12: {
        // Clients mostly find the leader; some ask a follower and get redirected.
        const id = a % 4 === 0 ? pick(alive, b) : (c.leaders()[0] ?? pick(alive, b));
        if (id !== undefined) c.input(id, { kind: 'propose', requestId: `w${writes}`, data: text(`v${writes++}`) });
        break;
      }
      case 13: {
        const e = pick(c.inFlight, a);
        if (e !== undefined) c.drop((x) => x === e);
        break;
      }
      case 14: {
        const id = a % 4 === 0 ? pick(alive, b) : (c.leaders()[0] ?? pick(alive, b));
        if (id !== undefined) c.input(id, { kind: 'read', requestId: `r${b}`, mode: b % 2 === 0 ? 'read-index' : 'lease' });
        break;
      }
      default:
        if (faults) fault(c, a, b, voters);
        else c.advance(1_000 + (b % 20) * 1_000);
    }
  }
  const committedMax = Math.max(...all.map((id) => (c.node(id).alive ? c.node(id).core.inspect().commitIndex : 0)));
  const fingerprint = JSON.stringify(all.map((id) => [c.node(id).alive ? c.node(id).core.inspect() : null, c.node(id).outputs, c.node(id).events.length]));
  return { violations: monitor.violations.map((v) => v.message), committedMax, fingerprint };
}

/** One fault or reconfiguration: crash (losing unsynced writes) or restart, partition or heal, membership. */
function fault(c: TestCluster, a: number, b: number, voters: number): void {
  const all = [...c.nodes.keys()];
  const alive = all.filter((id) => c.node(id).alive);
  const down = all.filter((id) => !c.node(id).alive);
  switch (b % 8) {
    case 0: {
      const target = down[a % Math.max(1, down.length)];
      if (target !== undefined) c.restart(target);
      else if (alive.length > Math.floor(voters / 2) + 2) c.crash(alive[a % alive.length] ?? 'n1');
      return;
    }
    case 1:
      c.isolate(all[a % all.length] ?? 'n1');
      return;
    case 2:
    case 3:
    case 4:
      c.heal();
      return;
    default: {
      // Membership: add n6 as a learner, promote it, or remove it again.
      const leader = c.leaders()[0];
      if (leader === undefined) return;
      const cfg = c.node(leader).core.inspect().config;
      const req = `m${a}`;
      if (cfg.learners.length === 0 && !cfg.voters.includes('n6')) c.input(leader, { kind: 'changeMembership', requestId: req, voters: [...cfg.voters], learners: ['n6'] });
      else if (cfg.learners.includes('n6')) c.input(leader, { kind: 'changeMembership', requestId: req, voters: [...cfg.voters, 'n6'], learners: [] });
      else c.input(leader, { kind: 'changeMembership', requestId: req, voters: cfg.voters.filter((v) => v !== 'n6'), learners: [] });
    }
  }
}

/** Runs per property; raise it for a longer hunt, e.g. RAFT_PROPERTY_RUNS=5000 npx vitest run src/raft/property.test.ts */
const RUNS = Number(process.env['RAFT_PROPERTY_RUNS'] ?? 200);

const opArb = fc.tuple(fc.nat(15), fc.nat(1_000), fc.nat(1_000));

describe('Raft safety under random schedules (checked by the invariant monitor after every step)', () => {
  const schedule = fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.array(opArb, { minLength: 100, maxLength: 1_500 }));

  it('3 voters, reordered, dropped and duplicated messages and slow disks: no invariant is ever violated', () => {
    fc.assert(fc.property(schedule, ([seed, ops]) => {
      expect(run(seed, ops, 3, false).violations).toEqual([]);
    }), { numRuns: RUNS });
  });

  it('3 voters with crashes, partitions and membership changes as well: no invariant is ever violated', () => {
    fc.assert(fc.property(schedule, ([seed, ops]) => {
      expect(run(seed, ops, 3, true).violations).toEqual([]);
    }), { numRuns: RUNS });
  });

  it('5 voters with crashes, partitions and membership changes as well: no invariant is ever violated', () => {
    fc.assert(fc.property(schedule, ([seed, ops]) => {
      expect(run(seed, ops, 5, true).violations).toEqual([]);
    }), { numRuns: Math.ceil(RUNS * 0.6) });
  });

  it('is deterministic: the same schedule twice gives the same views, answers and events', () => {
    fc.assert(fc.property(schedule, ([seed, ops]) => {
      expect(run(seed, ops, 3, true).fingerprint).toBe(run(seed, ops, 3, true).fingerprint);
    }), { numRuns: 30 });
  });

  it('the calm schedules make progress (so the properties above are not vacuous)', () => {
    const committed: number[] = [];
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.array(opArb, { minLength: 1_000, maxLength: 1_500 })), ([seed, ops]) => {
      committed.push(run(seed, ops, 3, false).committedMax);
    }), { numRuns: 20, seed: 42 });
    expect(Math.max(...committed)).toBeGreaterThan(15);
    expect(committed.filter((x) => x >= 6).length).toBeGreaterThan(10);
  });
});
