// The Raft cluster as a system under test: replicas of src/node (a Raft core, its storage and a
// chain state machine) in the world, a driver that proposes commands and asks for reads at random
// nodes, the Raft invariant monitor run after every step (a violation stops the run), and a
// liveness check once the final healing period has run.

import type { NodeId } from '../../src/host/contract';
import { defaultRaftConfig, type RaftBugs, type RaftConfig, NO_BUGS } from '../../src/raft/config';
import type { ReplicaMessage } from '../../src/node/identity';
import { emptyMemoryDisk, MemoryStorage, type MemoryDisk } from '../../src/node/memory-storage';
import { Replica, type ReplicaOutcome, type ReplicaRequest } from '../../src/node/replica';
import { ChainStateMachine } from '../../src/node/state-machine';
import { RaftInvariantMonitor } from '../../checkers/raft/monitor';
import { raftVerdict, watchRaft } from './raft-watch';
import { HEAL_PERIOD_US } from '../../scenarios/scenario';
import type { World } from '../world';
import type { Verdict } from './artifact';
import type { SystemUnderTest } from './system';

export interface RaftSystemOptions {
  readonly bugs?: Partial<RaftBugs>;
  readonly raft?: Partial<RaftConfig>;
  /** Mean time between two requests of the driver. */
  readonly requestEveryUs?: number;
  /** How many of the servers form the initial configuration (the rest wait to be added). Default: all. */
  readonly initialVoters?: number;
  /** Send every request to the node that currently believes it leads (as a client that follows redirects would), instead of a random node. */
  readonly requestsToLeader?: boolean;
  /** Fraction of the requests that are proposals (the rest are reads). Default 0.7. */
  readonly proposalShare?: number;
  /** Run the invariant monitor after every step (default). Off only to measure its cost. */
  readonly monitor?: boolean;
}

/** After healing, a leader must be elected and commit within this long. */
export const LIVENESS_BOUND_US = 3_000_000;

type RaftWorld = World<ReplicaMessage, ReplicaRequest, ReplicaOutcome>;

export function raftSystem(options: RaftSystemOptions = {}): SystemUnderTest<ReplicaMessage, ReplicaRequest, ReplicaOutcome> & { readonly monitor: RaftInvariantMonitor; committedCount(): number } {
  const monitor = new RaftInvariantMonitor();
  const disks = new Map<NodeId, MemoryDisk>();
  const commits: { node: NodeId; trueUs: number; index: number }[] = [];
  const outcomes = { committed: 0, reads: 0, redirects: 0, other: 0 };
  let durationUs = 0;
  let quietUs = HEAL_PERIOD_US;
  let operatorRequests = 0;
  return {
    name: 'raft',
    judgeReads: [],
    monitor,
    committedCount: () => outcomes.committed,
    processes: (servers) => servers.map((id) => ({ id, role: 'server', hasDisk: true })),
    install(world, { members: servers, quietUs: clusterQuietUs }) {
      quietUs = clusterQuietUs;
      const voters = servers.slice(0, options.initialVoters ?? servers.length);
      const config = defaultRaftConfig(voters, { ...options.raft, bugs: { ...NO_BUGS, ...options.bugs } });
      for (const id of servers) {
        const disk = emptyMemoryDisk();
        disks.set(id, disk);
        world.define(id, ({ random }) => new Replica(id, config, new MemoryStorage(disk), new ChainStateMachine(), random));
        world.start(id);
      }
      world.onOutput((node, output, trueUs) => {
        if (output.outcome === 'committed') {
          outcomes.committed++;
          commits.push({ node, trueUs, index: output.index });
        } else if (output.outcome === 'read-ok') outcomes.reads++;
        else if (output.outcome === 'redirect') outcomes.redirects++;
        else outcomes.other++;
      });
      installDriver(world, servers, options.requestEveryUs ?? 20_000, options.requestsToLeader ?? false, options.proposalShare ?? 0.7);
      if (options.monitor !== false) watchRaft(world, servers, (instance) => instance as Replica | null, monitor);
    },
    judge(world) {
      durationUs = world.now;
      const verdicts: Verdict[] = [raftVerdict(monitor, world.steps)];
      if (world.stopped === null) {
        const healedAt = durationUs - quietUs;
        const first = commits.find((c) => c.trueUs >= healedAt);
        verdicts.push(
          first !== undefined && first.trueUs - healedAt <= LIVENESS_BOUND_US
            ? { check: 'liveness', verdict: 'pass', summary: `after healing, ${first.node} committed index ${first.index} within ${((first.trueUs - healedAt) / 1e6).toFixed(3)} s` }
            : { check: 'liveness', verdict: 'fail', summary: `no commit within ${LIVENESS_BOUND_US / 1e6} s of healing at ${(healedAt / 1e6).toFixed(3)} s` },
        );
      }
      return verdicts;
    },
    history: () => [],
    operatorRequest: (action): ReplicaRequest => {
      // A graceful shutdown of a bare replica is its leadership transfer; the stop is the nemesis's.
      if (action.kind === 'change-membership') return { kind: 'changeMembership', requestId: `op-${++operatorRequests}`, voters: action.voters, learners: action.learners };
      return { kind: 'transferLeadership', to: null };
    },
  };
}

/** The environment: at random intervals, a proposal or a read at a random node (or the leader). */
function installDriver(world: RaftWorld, servers: readonly NodeId[], meanUs: number, toLeader: boolean, proposalShare: number): void {
  const rng = world.streams.stream('workload');
  let serial = 0;
  const leader = (): NodeId | null => servers.find((id) => (world.instance(id) as Replica | null)?.role() === 'leader') ?? null;
  const tick = (): void => {
    const node = (toLeader ? leader() : null) ?? rng.pick(servers);
    const requestId = `r${serial++}`;
    const request: ReplicaRequest = rng.chance(proposalShare)
      ? { kind: 'propose', requestId, data: new TextEncoder().encode(`cmd-${serial}`) }
      : { kind: 'read', requestId, mode: rng.chance(0.5) ? 'read-index' : 'lease' };
    world.external(node, request, { request: request.kind, requestId });
    world.at(world.now + 1 + Math.round(rng.exponential(meanUs)), tick);
  };
  world.at(0, tick);
}
