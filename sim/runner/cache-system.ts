// The replicated cache as a system under test: cache nodes (src/node/cache-node) on the servers,
// cache clients (src/client) on client processes driven by the seeded workload, the Raft invariant
// monitor after every step, the SWIM recorder watching the member inside every node, and at the
// end the checks of the history (linearizability per structure, the topic's order, durability and
// liveness) and of the membership view (completeness, accuracy, convergence; sim/membership).

import { defaultRaftConfig, NO_BUGS, type RaftBugs, type RaftConfig } from '../../src/raft/config';
import { CacheNode, DEFAULT_CACHE_NODE_OPTIONS, type NodeControl, type NodeMessage, type NodeOutput } from '../../src/node/cache-node';
import { judgeRecorded, SIM_SWIM_CONFIG } from '../membership/swim-system';
import { SwimRecorder } from '../membership/recorder';
import { settleEstimateUs, swimBounds } from '../membership/bounds';
import { memberConfig, withDefect, type SwimDefect } from '../membership/defects';
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
import type { NodeId } from '../../src/host/contract';
import type { SwimProcess } from '../../src/membership/host-adapter';
import { assert } from '../../src/util/assert';
import type { RemovalPolicy } from '../../src/node/removal-policy';
import { FAULT_TIMELINE_KINDS } from '../membership/faults';

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
  /** A planted SWIM defect in every node (tests: the membership checks must fail). */
  readonly swimDefect?: SwimDefect;
  /** The optional removal of voters SWIM holds dead past a limit (src/node/removal-policy); default: off. */
  readonly removal?: RemovalPolicy;
  /** Nodes act as their process name whatever their disk holds (the unsafe way a wiped node used to rejoin; tests). */
  readonly legacyIdentity?: boolean;
  /** Diff every member's view after each of its node's steps, not only after SWIM's (slow; tests). */
  readonly swimDiffEveryStep?: boolean;
}

/** After healing, each structure must answer within this long. */
export const CACHE_LIVENESS_BOUND_US = 4_000_000;
/**
 * The healing period a cache run ends with: long enough for the SWIM views to settle after the
 * last heal (the convergence check's bound, T_max + (2S + L) probe periods: 9.6 s for 5 nodes),
 * with a fifth more for what stretches that bound in true time (clocks drifting up to 5 % slow in
 * clock-skew, Lifeguard's longer probe periods right after a heal), so the check is decided
 * rather than cut off by the end of the run; never shorter than HEAL_PERIOD_US.
 */
export function cacheQuietUs(servers: number): number {
  const settleUs = settleEstimateUs(SIM_SWIM_CONFIG, swimBounds(SIM_SWIM_CONFIG, servers));
  return Math.max(HEAL_PERIOD_US, Math.ceil((1.2 * settleUs) / 100_000) * 100_000);
}

/** The final reads start this long before the end of the run. */
const FINAL_READS_BEFORE_END_US = 1_500_000;

/** Nodes and clients share the messages; the environment asks nodes (operators) and clients (the workload). */
type CacheRequest = NodeControl | ClientInvoke;
type CacheOutput = NodeOutput | ClientCompletion;
type CacheWorld = World<NodeMessage, CacheRequest, CacheOutput>;

export function cacheSystem(options: CacheSystemOptions = {}): SystemUnderTest<NodeMessage, CacheRequest, CacheOutput> & { readonly recorder: HistoryRecorder; swimRecorder(): SwimRecorder | null } {
  const monitor = new RaftInvariantMonitor();
  const recorder = new HistoryRecorder();
  let swim: { recorder: SwimRecorder; servers: readonly NodeId[] } | null = null;
  let quietUs = HEAL_PERIOD_US;
  /** The cache node inside each watched process the world runs (the recorder wraps it). */
  const nodeOf = new WeakMap<object, CacheNode>();
  let operatorRequests = 0;
  const clientIds = Array.from({ length: options.clients ?? 5 }, (_, i) => `c${i + 1}`);
  return {
    name: 'cache',
    judgeReads: FAULT_TIMELINE_KINDS,
    recorder,
    swimRecorder: () => swim?.recorder ?? null,
    quietUs: cacheQuietUs,
    processes: (servers) => [
      ...servers.map((id) => ({ id, role: 'server' as const, hasDisk: true })),
      ...clientIds.map((id) => ({ id, role: 'client' as const, hasDisk: false })),
    ],
    install(world: CacheWorld, { members: servers, durationUs, quietUs: clusterQuietUs }) {
      quietUs = clusterQuietUs;
      const voters = servers.slice(0, options.initialVoters ?? servers.length);
      const config = defaultRaftConfig(voters, { ...options.raft, bugs: { ...NO_BUGS, ...options.bugs } });
      const swimRecorder = new SwimRecorder(servers, options.swimDiffEveryStep === true);
      swim = { recorder: swimRecorder, servers };
      const swimConfig = memberConfig(SIM_SWIM_CONFIG, options.swimDefect);
      // Bootstrap (identity.ts): a server whose disk was never wiped may take its process name as
      // its Raft id on an empty disk (the initial voters form the cluster, the spares wait to be
      // added); the operator knows which disks were replaced. Without a wipe an empty disk means
      // the node never made its identity durable, and it writes that before any Raft state and
      // speaks only after: it made no promise to keep, so founding again as itself is safe (a
      // server that crashes before its identity is durable and restarts must not be turned away
      // as a stranger, or a cluster whose majority did that never forms). A start on a wiped disk
      // is a new member.
      for (const id of servers) {
        // Each node keeps its state in a WAL on its own simulated disk, which faults can damage.
        const nodeOptions = { pendingRequestsMax: DEFAULT_CACHE_NODE_OPTIONS.pendingRequestsMax, membership: { config: swimConfig, members: servers }, removal: options.removal ?? null };
        world.define(id, ({ random }) => {
          const identity = options.legacyIdentity === true ? null : { bootstrap: world.diskWipes(id) === 0 };
          const node = new CacheNode(id, config, new RaftStorage(options.storage ?? DEFAULT_STORAGE_CONFIG), random, { ...nodeOptions, identity });
          const watched = swimRecorder.wrap(id, (node.swim as SwimProcess).member, withDefect(id, node, options.swimDefect), () => world.now);
          nodeOf.set(watched, node);
          return watched;
        });
      }
      const isUp = (id: NodeId): boolean => world.status(id) === 'up';
      world.observe((w) => swimRecorder.observe(w.now, isUp));
      for (const id of servers) world.start(id);
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
      watchRaft(world, servers, (instance) => (instance === null ? null : (nodeOf.get(instance as object)?.replica ?? null)), monitor);
    },
    judge(world, trace) {
      const verdicts: Verdict[] = [raftVerdict(monitor, world.steps)];
      if (world.stopped !== null) return verdicts;
      assert(swim !== null, 'judge before install');
      const membership = judgeRecorded(world, trace, swim.servers, swim.recorder, swimBounds(SIM_SWIM_CONFIG, swim.servers.length)).verdicts;
      const history = recorder.events;
      const healedAtUs = world.now - quietUs;
      verdicts.push(linearizabilityVerdict(history), topicVerdict(history), durabilityVerdict(history, `long:${COUNTER_NAME}`), livenessVerdict(history, healedAtUs, CACHE_LIVENESS_BOUND_US), ...membership);
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
