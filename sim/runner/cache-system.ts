// The replicated cache as a system under test: cache nodes (src/node/cache-node) on the servers,
// cache clients (src/client) on client processes driven by the seeded workload, the Raft invariant
// monitor after every step, and at the end the checks of the history: linearizability per
// structure, the topic's order, durability and liveness.

import { defaultRaftConfig, NO_BUGS, type RaftBugs, type RaftConfig } from '../../src/raft/config';
import { CacheNode, DEFAULT_CACHE_NODE_OPTIONS, type NodeControl, type NodeMessage, type NodeOutput } from '../../src/node/cache-node';
import { SIM_SWIM_CONFIG } from '../membership/swim-system';
import { RaftStorage } from '../../src/storage/storage';
import { DEFAULT_STORAGE_CONFIG, type StorageConfig } from '../../src/storage/config';
import { CacheClient, DEFAULT_CLIENT_CONFIG, type ClientCompletion, type ClientConfig, type ClientInvoke } from '../../src/client/client';
import { RaftInvariantMonitor } from '../../checkers/raft/monitor';
import { HEAL_PERIOD_US } from '../../scenarios/scenario';
import { OperationGenerator, COUNTER_NAME, DEFAULT_MIX, type WorkloadMix } from '../workload/generator';
import { HistoryRecorder } from '../workload/history';
import { installWorkload } from '../workload/driver';
import type { World } from '../world';
import type { Verdict } from './artifact';
import { durabilityVerdict, linearizabilityVerdict, livenessVerdict, topicVerdict } from './history-checks';
import { raftVerdict, watchRaft } from './raft-watch';
import type { SystemUnderTest } from './system';

export interface CacheSystemOptions {
  readonly clients?: number;
  readonly bugs?: Partial<RaftBugs>;
  readonly raft?: Partial<RaftConfig>;
  readonly client?: Partial<Omit<ClientConfig, 'servers'>>;
  readonly mix?: WorkloadMix;
  /** Mean think time of each client between operations. */
  readonly thinkUsMean?: number;
  readonly storage?: StorageConfig;
  /** How many of the servers form the initial configuration (the rest wait to be added). Default: all. */
  readonly initialVoters?: number;
}

/** After healing, each structure must answer within this long. */
export const CACHE_LIVENESS_BOUND_US = 4_000_000;
/** The final reads start this long before the end of the run. */
const FINAL_READS_BEFORE_END_US = 1_500_000;

/** Nodes and clients share the messages; the environment asks nodes (operators) and clients (the workload). */
type CacheRequest = NodeControl | ClientInvoke;
type CacheOutput = NodeOutput | ClientCompletion;
type CacheWorld = World<NodeMessage, CacheRequest, CacheOutput>;

export function cacheSystem(options: CacheSystemOptions = {}): SystemUnderTest<NodeMessage, CacheRequest, CacheOutput> & { readonly recorder: HistoryRecorder } {
  const monitor = new RaftInvariantMonitor();
  const recorder = new HistoryRecorder();
  let operatorRequests = 0;
  const clientIds = Array.from({ length: options.clients ?? 5 }, (_, i) => `c${i + 1}`);
  return {
    name: 'cache',
    recorder,
    processes: (servers) => [
      ...servers.map((id) => ({ id, role: 'server' as const, hasDisk: true })),
      ...clientIds.map((id) => ({ id, role: 'client' as const, hasDisk: false })),
    ],
    install(world: CacheWorld, { members: servers, durationUs }) {
      const voters = servers.slice(0, options.initialVoters ?? servers.length);
      const config = defaultRaftConfig(voters, { ...options.raft, bugs: { ...NO_BUGS, ...options.bugs } });
      for (const id of servers) {
        // Each node keeps its state in a WAL on its own simulated disk, which faults can damage.
        const nodeOptions = { pendingRequestsMax: DEFAULT_CACHE_NODE_OPTIONS.pendingRequestsMax, membership: { config: SIM_SWIM_CONFIG, members: servers } };
        world.define(id, ({ random }) => new CacheNode(id, config, new RaftStorage(options.storage ?? DEFAULT_STORAGE_CONFIG), random, nodeOptions));
        world.start(id);
      }
      const clientConfig: ClientConfig = { ...DEFAULT_CLIENT_CONFIG, ...options.client, servers };
      for (const id of clientIds) {
        // The world's message and request types are the nodes'; a client speaks the same messages.
        world.define(id, ({ random }) => new CacheClient(id, clientConfig, random));
        world.start(id);
      }
      const generator = new OperationGenerator(world.streams.stream('workload'), options.mix ?? DEFAULT_MIX);
      installWorkload(world, clientIds, generator, recorder, world.streams.stream('think'), {
        thinkUsMean: options.thinkUsMean ?? 20_000,
        finalReadsAtUs: durationUs - FINAL_READS_BEFORE_END_US,
      });
      watchRaft(world, servers, (instance) => (instance instanceof CacheNode ? instance.replica : null), monitor);
    },
    judge(world) {
      const verdicts: Verdict[] = [raftVerdict(monitor, world.steps)];
      if (world.stopped !== null) return verdicts;
      const history = recorder.events;
      const healedAtUs = world.now - HEAL_PERIOD_US;
      verdicts.push(linearizabilityVerdict(history), topicVerdict(history), durabilityVerdict(history, `long:${COUNTER_NAME}`), livenessVerdict(history, healedAtUs, CACHE_LIVENESS_BOUND_US));
      return verdicts;
    },
    history: () => recorder.events,
    operatorRequest: (action): NodeControl => {
      switch (action.kind) {
        case 'shutdown':
          return { kind: 'shutdown' };
        case 'transfer-leadership':
          return { kind: 'transferLeadership', to: null };
        case 'change-membership':
          return { kind: 'changeMembership', requestId: `op-${++operatorRequests}`, voters: action.voters, learners: action.learners };
      }
    },
  };
}
