// Raft clusters of 3, 5 and 7 replicas in the simulated world, under the faults of the Raft paper's
// evaluation and of Jepsen: each test states what it proves. The invariant monitor runs after
// every step of every test (a violation stops the world and fails the test).

import { HEAL_PERIOD_US } from '../../scenarios/scenario';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NodeId } from '../../src/host/contract';
import type { RaftView } from '../../src/raft/types';
import type { Replica, ReplicaOutcome, ReplicaRequest } from '../../src/node/replica';
import type { ReplicaMessage } from '../../src/node/identity';
import { DEFAULT_LINK } from '../net/link';
import { DEFAULT_NETWORK, type NetworkConfig } from '../net/network';
import { MemorySink } from '../trace/trace';
import { World } from '../world';
import { SimDisk } from '../disk/disk';
import { DEFAULT_DISK_CONFIG } from '../disk/config';
import { findScenario, SCENARIOS } from '../../scenarios/registry';
import { raftSystem, type RaftSystemOptions } from './raft-system';
import { judgeScenario, scenarioSettings, serverIds } from './run';

function cluster(nodes: number, options: RaftSystemOptions & { network?: NetworkConfig; seed?: number } = {}) {
  const servers = serverIds(nodes);
  const system = raftSystem(options);
  const trace = new MemorySink();
  const world = new World<ReplicaMessage, ReplicaRequest, ReplicaOutcome>({
    seed: options.seed ?? 1,
    processes: system.processes(servers),
    network: options.network ?? DEFAULT_NETWORK,
    restartDelayUs: 100_000,
    pausedInboxMax: 10_000,
    makeDisk: (_id, rng) => new SimDisk(DEFAULT_DISK_CONFIG, rng),
    traceSinks: [trace],
  });
  system.install(world, { members: servers, durationUs: 3_600_000_000, quietUs: HEAL_PERIOD_US });
  const view = (id: NodeId): RaftView | null => (world.instance(id) as Replica | null)?.inspect() ?? null;
  const leaders = (): RaftView[] => servers.map(view).filter((v): v is RaftView => v !== null && v.role === 'leader');
  const runFor = (us: number): void => {
    world.runUntil(world.now + us);
    expect(world.stopped).toBeNull();
    expect(system.monitor.violations).toEqual([]);
  };
  /** The single leader of the highest term, once there is one. */
  const leader = (): RaftView => {
    const ls = leaders().sort((a, b) => b.term - a.term);
    expect(ls.length).toBeGreaterThan(0);
    return ls[0]!;
  };
  return { world, system, servers, trace, view, leaders, leader, runFor };
}

describe('Raft in the simulated world: elections (§5.2)', () => {
  it.each([3, 5, 7])('a fresh %i-node cluster elects exactly one leader and every node follows it', (n) => {
    const c = cluster(n);
    c.runFor(2_000_000);
    expect(c.leaders()).toHaveLength(1);
    const leader = c.leader();
    for (const id of c.servers) expect(c.view(id)!.leaderId).toBe(leader.id);
  });

  it('when the leader crashes, the rest elect a new leader in a higher term and keep committing', () => {
    const c = cluster(5);
    c.runFor(2_000_000);
    const old = c.leader();
    const commitBefore = old.commitIndex;
    c.world.crash(old.id, 'test');
    c.runFor(2_000_000);
    const next = c.leader();
    expect(next.id).not.toBe(old.id);
    expect(next.term).toBeGreaterThan(old.term);
    expect(next.commitIndex).toBeGreaterThan(commitBefore);
  });
});

describe('Raft in the simulated world: replication and failures', () => {
  it('a minority failure (2 of 5 down) does not stop commits; the failed nodes catch up when they return', () => {
    const c = cluster(5);
    c.runFor(2_000_000);
    const followers = c.servers.filter((id) => id !== c.leader().id).slice(0, 2);
    for (const id of followers) c.world.crash(id, 'test');
    const before = c.leader().commitIndex;
    c.runFor(3_000_000);
    const after = c.leader().commitIndex;
    expect(after).toBeGreaterThan(before + 20);
    for (const id of followers) c.world.start(id);
    c.runFor(3_000_000);
    const target = c.leader().commitIndex;
    for (const id of followers) expect(c.view(id)!.commitIndex).toBeGreaterThan(after);
    expect(target).toBeGreaterThan(after);
  });

  it('an isolated leader cannot commit; the majority elects another; after healing the old leader follows', () => {
    const c = cluster(5);
    c.runFor(2_000_000);
    const old = c.leader();
    expect(c.world.partition({ shape: 'isolate', node: old.id })).toEqual({ ok: true });
    c.runFor(3_000_000);
    const isolated = c.view(old.id)!;
    expect(isolated.role).not.toBe('leader'); // check-quorum: it stepped down
    const next = c.leader();
    expect(next.id).not.toBe(old.id);
    c.world.heal();
    c.runFor(2_000_000);
    const rejoined = c.view(old.id)!;
    expect(rejoined.role).toBe('follower');
    expect(rejoined.leaderId).toBe(c.leader().id);
    expect(rejoined.commitIndex).toBeGreaterThan(next.commitIndex - 50);
  });

  it('with 10% loss and 10% duplication every message kind still gets through: commits advance, invariants hold', () => {
    const c = cluster(5, { network: { defaultLink: { ...DEFAULT_LINK, lossProbability: 0.1, duplicateProbability: 0.1, reorderProbability: 0.1 }, links: [] } });
    c.runFor(5_000_000);
    expect(c.leader().commitIndex).toBeGreaterThan(20); // the driver proposes ~35 times in 5 s at the leader
    expect(c.world.network.stats.lostRandom).toBeGreaterThan(100);
    expect(c.world.network.stats.duplicated).toBeGreaterThan(100);
  });

  it('a follower cut off past the compacted prefix catches up by InstallSnapshot (§7)', () => {
    const c = cluster(3, { raft: { snapshotThresholdEntries: 50 }, requestEveryUs: 5_000 });
    c.runFor(1_000_000);
    const lagging = c.servers.find((id) => id !== c.leader().id)!;
    c.world.crash(lagging, 'test');
    c.runFor(3_000_000);
    expect(c.leader().snapshotIndex).toBeGreaterThan(c.view(c.servers.find((id) => id !== lagging)!)!.snapshotIndex - 1000);
    c.world.start(lagging);
    c.runFor(2_000_000);
    const installed = c.trace.records.filter((r) => r.node === lagging && r.kind === 'note' && r.fields.event === 'snapshotInstalled');
    expect(installed.length).toBeGreaterThan(0);
    expect(c.view(lagging)!.appliedIndex).toBeGreaterThan(c.leader().snapshotIndex - 100);
  });

  it('membership changes under load: two learners catch up, become voters, then the leader removes itself (§4.3)', () => {
    const c = cluster(5, { initialVoters: 3 });
    c.runFor(2_000_000);
    const first = c.leader();
    expect(first.config.voters).toEqual(['n1', 'n2', 'n3']);
    c.world.external(first.id, { kind: 'changeMembership', requestId: 'learn', voters: ['n1', 'n2', 'n3'], learners: ['n4', 'n5'] });
    c.runFor(1_000_000);
    c.world.external(first.id, { kind: 'changeMembership', requestId: 'promote', voters: ['n1', 'n2', 'n3', 'n4', 'n5'], learners: [] });
    c.runFor(1_000_000);
    expect(c.leader().config.voters).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    const rest = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((id) => id !== first.id);
    c.world.external(first.id, { kind: 'changeMembership', requestId: 'leave', voters: rest, learners: [] });
    c.runFor(2_000_000);
    const next = c.leader();
    expect(next.id).not.toBe(first.id);
    expect(next.config.voters).toEqual(rest);
    expect(next.config.votersOld).toBeNull();
  });
});

describe('Raft in the simulated world: properties over seeds and fault schedules', () => {
  it('every scenario, any seed: the invariants hold at every step and, once healed, a leader commits within the bound', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(...SCENARIOS.map((s) => s.name)), fc.constantFrom(3, 5), (seed, name, nodes) => {
        const scenario = findScenario(name)!;
        const outcome = judgeScenario(raftSystem(scenarioSettings(scenario)), { seed, scenario, nodes, durationUs: 12_000_000 });
        const failed = outcome.header.verdicts.filter((v) => v.verdict !== 'pass');
        expect(failed).toEqual([]);
      }),
      { numRuns: 24 },
    );
  });
});
