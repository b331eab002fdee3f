// SWIM membership as a system under test: one SwimProcess (src/membership) per server, each told
// its initial members through the factory closure, a recorder that watches every member's view
// after every step, and the end-of-run checks (completeness, accuracy, convergence; checks.ts)
// against bounds derived from the configuration (bounds.ts). It must never change what a member
// does: observation is read-only, and defects are opt-in.
//
// The simulated runs are short (30 s by default), so members run a time-scaled configuration:
// the library's defaults with a 200 ms protocol period (80 ms probe timeout) instead of 1 s.
// Every bound scales with it; the network's default 0.5-1.5 ms links stay well inside P / 2.

import type { NodeId } from '../../src/host/contract';
import { defaultSwimConfig, validateSwimConfig, type SwimConfig } from '../../src/membership/config';
import { SwimProcess, type SwimControl } from '../../src/membership/host-adapter';
import { SwimMember } from '../../src/membership/swim';
import type { SwimMessage } from '../../src/membership/types';
import { assert } from '../../src/util/assert';
import type { SystemUnderTest } from '../runner/system';
import type { TraceRecord } from '../trace/trace';
import type { World } from '../world';
import type { NetworkConfig } from '../net/network';
import { swimBounds, type SwimBounds } from './bounds';
import { judgeSwim, type SwimFigures, type SwimJudgement } from './checks';
import { memberConfig, withDefect, type SwimDefect } from './defects';
import { FAULT_TIMELINE_KINDS, faultTimeline } from './faults';
import { SwimRecorder } from './recorder';

export interface SwimSystemOptions {
  /** Overrides of SIM_SWIM_CONFIG; the checks' bounds are derived from the result. */
  readonly config?: Partial<SwimConfig>;
  /** Each server starts knowing only the first `seeds` servers and joins through them; default: all. */
  readonly seeds?: number;
  readonly defect?: SwimDefect;
  /** Diff every member's view after each of its steps, not only after steps that can change it (slow; tests). */
  readonly diffEveryStep?: boolean;
}

export type SwimWorld = World<SwimMessage, SwimControl, never>;

export interface SwimSystem extends SystemUnderTest<SwimMessage, SwimControl, never> {
  readonly config: SwimConfig;
  /** Null until install. */
  recorder(): SwimRecorder | null;
  /** The figures of the last judged run (for the benchmark), null before judge. */
  figures(): SwimFigures | null;
  /** The bounds of the last installed cluster, null before install. */
  bounds(): SwimBounds | null;
}

/** The library defaults, time-scaled for short simulated runs (see the header). */
export const SIM_SWIM_CONFIG: SwimConfig = { ...defaultSwimConfig, protocolPeriodUs: 200_000, probeTimeoutUs: 80_000 };

export function swimSystem(options: SwimSystemOptions = {}): SwimSystem {
  const config: SwimConfig = { ...SIM_SWIM_CONFIG, ...options.config };
  const errors = validateSwimConfig(config);
  assert(errors.length === 0, `swim system: invalid config: ${errors.join('; ')}`);
  const running = memberConfig(config, options.defect);
  assert(validateSwimConfig(running).length === 0, 'swim system: invalid member config in defect');
  let recorder: SwimRecorder | null = null;
  let bounds: SwimBounds | null = null;
  let figures: SwimFigures | null = null;
  let servers: readonly NodeId[] = [];
  return {
    name: 'swim',
    judgeReads: FAULT_TIMELINE_KINDS,
    config,
    recorder: () => recorder,
    figures: () => figures,
    bounds: () => bounds,
    processes: (ids) => ids.map((id) => ({ id, role: 'server', hasDisk: false })),
    // Takes the servers as a list or inside a cluster shape: the runner's interface is moving
    // from the one to the other, and this system needs only the names.
    install(world: SwimWorld, cluster: readonly NodeId[] | { readonly members: readonly NodeId[] }) {
      const ids = isNodeList(cluster) ? cluster : cluster.members;
      assert(recorder === null, 'a swim system is installed once');
      assert(ids.length >= 2 && ids.length <= running.membersMax, `swim system: ${ids.length} servers do not fit membersMax ${running.membersMax}`);
      servers = ids;
      bounds = swimBounds(config, ids.length);
      const rec = new SwimRecorder(ids, options.diffEveryStep === true);
      recorder = rec;
      const seeds = options.seeds === undefined ? ids : ids.slice(0, Math.max(1, options.seeds));
      for (const id of ids) {
        const initial = seeds.filter((s) => s !== id);
        world.define(id, ({ random }) => {
          const member = new SwimMember(id, running, initial, random);
          return rec.wrap(id, member, withDefect(id, new SwimProcess(member), options.defect), () => world.now);
        });
      }
      const isUp = (id: NodeId): boolean => world.status(id) === 'up';
      world.observe((w) => rec.observe(w.now, isUp));
      for (const id of ids) world.start(id);
      // Starting happens outside a step: record the initial views now, at time zero.
      rec.observe(world.now, isUp);
    },
    judge(world, trace: readonly TraceRecord[]) {
      assert(recorder !== null && bounds !== null, 'judge before install');
      const judged = judgeRecorded(world, trace, servers, recorder, bounds);
      figures = judged.figures;
      return judged.verdicts;
    },
    history: () => [],
  };
}

/** The membership checks of a finished run of any system whose servers' members the recorder watched. */
export function judgeRecorded(world: { readonly now: number; readonly config: { readonly network: NetworkConfig } }, trace: readonly TraceRecord[], servers: readonly NodeId[], recorder: SwimRecorder, bounds: SwimBounds): SwimJudgement {
  const network = world.config.network;
  const lossy = network.defaultLink.lossProbability > 0 || network.links.some((l) => l.link.lossProbability > 0);
  return judgeSwim({ servers, lossy, changes: recorder.changes, ticks: recorder.ticks, faults: faultTimeline(trace, servers, world.now) }, bounds);
}

function isNodeList(value: readonly NodeId[] | { readonly members: readonly NodeId[] }): value is readonly NodeId[] {
  return Array.isArray(value);
}
